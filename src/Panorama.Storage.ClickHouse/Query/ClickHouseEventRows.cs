namespace Panorama.Storage.ClickHouse.Query;

/// <summary>
/// Each event of a site with its visit's columns (<c>v_*</c>), cut per visitor at query time with arrays (18.16 has
/// no window functions): a visitor's events sorted by (time, node, sequence), a visit started by a gap of 30 minutes
/// or more and cut every 24 hours from its first event; each event then reads its visit's first and last position
/// (the visit's events are contiguous) for the visit's start, end, pageviews, bounce, entry and exit page, and
/// attributes — the first known value for an optional one, as the embedded store's visits table holds them.
/// </summary>
public static class ClickHouseEventRows
{
    /// <summary>Visit attributes, each taken from a visit's first event (the embedded store's v_* columns).</summary>
    public static readonly string[] VisitAttributes =
    [
        "source", "channel", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
        "device", "browser", "browser_version", "os", "os_version", "country", "region", "city", "screen",
    ];

    /// <summary>
    /// Visitors of today who continue yesterday's visitor, the rule the embedded store applies while ingesting, here
    /// applied to every node's events at once: an event in the first 30 minutes after midnight carries the person's
    /// id under yesterday's salt too; the first run of such events (gaps under 30 minutes) that starts within 30
    /// minutes after that visitor's last event counts as that visitor's.
    /// </summary>
    static string Continuations(string table, string window) => $"""
        SELECT visitor_id, m_x, m_end FROM (
            SELECT visitor_id, any(prev_visitor_id) AS m_x, arraySort(groupArray(ts_us)) AS stamps, stamps[1] AS m_first,
                   arrayFirstIndex(i -> i > 1 AND stamps[i] - stamps[i - 1] >= 1800000000, arrayEnumerate(stamps)) AS gap,
                   if(gap = 0, stamps[length(stamps)], stamps[gap - 1]) AS m_end
            FROM {table} WHERE {window} AND prev_visitor_id != visitor_id
            GROUP BY visitor_id
        ) ANY INNER JOIN (
            SELECT visitor_id AS m_x, max(ts_us) AS x_last FROM {table} WHERE {window} GROUP BY visitor_id
        ) USING m_x
        WHERE m_x != visitor_id AND m_first >= x_last AND m_first - x_last < 1800000000
        """;

    // Positions in the sorted tuple of each event.
    const int Ts = 1, Node = 2, Seq = 3, Name = 4, Path = 5, Host = 6, Revenue = 7, Currency = 8, Keys = 9, Values = 10, Interactive = 11, Scroll = 12, Engaged = 13;
    const int FirstAttribute = 14;

    static readonly HashSet<string> Optional =
        ["referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "browser_version", "os_version", "country", "region", "city", "screen"];

    /// <summary>
    /// Rows for events with <c>ts_us</c> in [<paramref name="fromMicros"/>, <paramref name="toMicros"/>), their visits
    /// cut from the visitor's events since <paramref name="visitsFromMicros"/>; engagement events are left out.
    /// </summary>
    public static string Sql(string table, int siteId, long visitsFromMicros, long fromMicros, long toMicros)
    {
        var attributes = VisitAttributes;
        string E(int position) => $"tupleElement(e, {position})";
        string At(string index, int position) => $"tupleElement(ev[{index}], {position})";
        // Optional attributes: the first position in the visit with a value; 0 (none) reads as ''.
        var attributeArrays = string.Join(",\n", attributes.Select((name, k) => Optional.Contains(name)
            ? $"arrayMap(i -> arrayFirst(j -> j >= firsts[i] AND j <= lasts[i] AND {At("j", FirstAttribute + k)} != '', positions), positions) AS p_{name}"
            : $"arrayMap(i -> {At("firsts[i]", FirstAttribute + k)}, positions) AS a_{name}"));
        var optionalValues = attributes.Select((name, k) => (name, k)).Where(x => Optional.Contains(x.name))
            .Select(x => $"if(p_{x.name} = 0, '', {At($"p_{x.name}", FirstAttribute + x.k)}) AS v_{x.name}");
        var joined = string.Join(", ", attributes.Where(a => !Optional.Contains(a)).Select(a => $"a_{a} AS v_{a}")
            .Concat(attributes.Where(Optional.Contains).Select(a => $"p_{a}")));
        const long day = 86_400_000_000;
        var window = $"{Window(siteId, visitsFromMicros, toMicros)}";
        return $"""
            SELECT visitor_id, {E(Ts)} AS ts_us, {E(Node)} AS node, {E(Seq)} AS seq, {E(Name)} AS name, {E(Path)} AS pathname, {E(Host)} AS hostname,
                   {E(Revenue)} AS revenue_micros, {E(Currency)} AS revenue_currency, {E(Keys)} AS prop_keys, {E(Values)} AS prop_values,
                   {E(Scroll)} AS scroll_depth, {E(Engaged)} AS engagement_ms,
                   v_started, v_ended, intDiv(v_ended, 1000000) - intDiv(v_started, 1000000) AS v_duration, v_pageviews, v_bounce,
                   if(entry = 0, '', {At("entry", Path)}) AS v_entry_page, if(exit = 0, '', {At("exit", Path)}) AS v_exit_page,
                   {string.Join(", ", attributes.Where(a => !Optional.Contains(a)).Select(a => $"v_{a}"))},
                   {string.Join(", ", optionalValues)}
            FROM (
                SELECT person AS visitor_id,
                       arraySort(x -> (tupleElement(x, 1), tupleElement(x, 2), tupleElement(x, 3)), groupArray((ts_us, node, seq, name, pathname, hostname,
                           revenue_micros, revenue_currency, prop_keys, prop_values, interactive, scroll_depth, engagement_ms,
                           {string.Join(", ", attributes)}))) AS ev,
                       arrayEnumerate(ev) AS positions,
                       arrayMap(x -> tupleElement(x, 1), ev) AS times,
                       arrayMap(x -> tupleElement(x, {Name}) = 'pageview', ev) AS pvs,
                       arrayCumSum(arrayMap(i -> if(i = 1 OR times[i] - times[i - 1] >= 1800000000, 1, 0), positions)) AS runs,
                       arrayMap(i -> runs[i] * 1000 + intDiv(times[i] - times[indexOf(runs, runs[i])], {day}), positions) AS keys,
                       arrayMap(i -> indexOf(keys, keys[i]), positions) AS firsts,
                       arrayMap(i -> length(keys) + 1 - indexOf(arrayReverse(keys), keys[i]), positions) AS lasts,
                       arrayCumSum(pvs) AS cum_pv,
                       arrayCumSum(arrayMap(x -> tupleElement(x, {Interactive}), ev)) AS cum_int,
                       arrayMap(i -> times[firsts[i]], positions) AS a_started,
                       arrayMap(i -> times[lasts[i]], positions) AS a_ended,
                       arrayMap(i -> cum_pv[lasts[i]] - cum_pv[firsts[i]] + pvs[firsts[i]], positions) AS a_pageviews,
                       arrayMap(i -> if(a_pageviews[i] <= 1 AND cum_int[lasts[i]] - cum_int[firsts[i]] + tupleElement(ev[firsts[i]], {Interactive}) = 0, 1, 0), positions) AS a_bounce,
                       arrayMap(i -> arrayFirst(j -> j >= firsts[i] AND j <= lasts[i] AND pvs[j] = 1, positions), positions) AS a_entry,
                       arrayMap(i -> arrayFirst(j -> j >= firsts[i] AND j <= lasts[i] AND pvs[j] = 1, arrayReverse(positions)), positions) AS a_exit,
                       {attributeArrays}
                FROM (
                    SELECT if(m_end > 0 AND ts_us <= m_end, m_x, visitor_id) AS person, ts_us, node, seq, name, pathname, hostname, revenue_micros, revenue_currency,
                           prop_keys, prop_values, interactive, scroll_depth, engagement_ms, {string.Join(", ", attributes)}
                    FROM (SELECT * FROM {table} WHERE {window} AND name != 'engagement')
                    ANY LEFT JOIN ({Continuations(table, window)}) USING visitor_id
                )
                GROUP BY person
            )
            ARRAY JOIN ev AS e, a_started AS v_started, a_ended AS v_ended, a_pageviews AS v_pageviews, a_bounce AS v_bounce,
                       a_entry AS entry, a_exit AS exit, {joined}
            WHERE ts_us >= {fromMicros}
            """;
    }

    /// <summary>A site's events in [from, to), with a DateTime condition too so that the primary key prunes.</summary>
    public static string Window(int siteId, long fromMicros, long toMicros) =>
        $"site_id = {siteId} AND ts >= {ClickHouseSql.DateTime(Floor(fromMicros))} AND ts < {ClickHouseSql.DateTime(Ceiling(toMicros))} AND ts_us >= {fromMicros} AND ts_us < {toMicros}";

    static DateTime Floor(long micros) => DateTime.UnixEpoch.AddTicks(micros * 10).AddSeconds(-1);
    static DateTime Ceiling(long micros) => DateTime.UnixEpoch.AddTicks(micros * 10).AddSeconds(1);
}
