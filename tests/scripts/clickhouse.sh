#!/usr/bin/env bash
# Starts a throwaway ClickHouse server as a plain process, bound to loopback, for the tests and the benchmark.
#   clickhouse.sh start DIR HOST HTTP_PORT TCP_PORT [SHARD_HOST:TCP_PORT ...]   (the shards make the cluster "panorama")
#   clickhouse.sh stop DIR
set -euo pipefail
command=$1 dir=$2
case "$command" in
  start)
    host=$3 http=$4 tcp=$5; shift 5
    mkdir -p "$dir"/{data,tmp,user_files,format_schemas,log}
    shards=""
    for shard in "$@"; do
      shards+="<shard><replica><host>${shard%:*}</host><port>${shard#*:}</port></replica></shard>"
    done
    cat > "$dir/config.xml" <<XML
<yandex>
  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/error.log</errorlog><console>0</console></logger>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  <listen_host>$host</listen_host>
  <interserver_http_host>$host</interserver_http_host>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mark_cache_size>268435456</mark_cache_size>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <remote_servers><panorama>$shards</panorama></remote_servers>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
</yandex>
XML
    cat > "$dir/users.xml" <<XML
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><load_balancing>random</load_balancing></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.0/8</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
    nohup /usr/sbin/clickhouse-server --config-file="$dir/config.xml" > "$dir/log/stdout.log" 2>&1 &
    echo $! > "$dir/pid"
    for _ in $(seq 1 100); do
      if curl -fsS "http://$host:$http/ping" > /dev/null 2>&1; then exit 0; fi
      sleep 0.2
    done
    echo "clickhouse did not start; see $dir/log" >&2
    cat "$dir/log/error.log" "$dir/log/stdout.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -f "$dir/pid" ]; then kill "$(cat "$dir/pid")" 2>/dev/null || true; fi
    ;;
  *) echo "usage: $0 start|stop DIR ..." >&2; exit 2 ;;
esac
