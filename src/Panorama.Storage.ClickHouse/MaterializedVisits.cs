using System.Globalization;
using Panorama.Storage.ClickHouse.Query;

namespace Panorama.Storage.ClickHouse;

/// <summary>
/// Visits kept in the <c>visits</c> table, so that reports read one row per visit instead of cutting visits from
/// every event (<see cref="ClickHouseEventRows"/>). A visit belongs to the UTC hour of its last event. An hour is
/// built from the site's events 26 hours before it to 2 hours after it — a visit's events all lie there (a visit
/// lasts under 24 hours; one that goes on continues past the hour after next) — once that window has passed, and
/// <c>visit_builds</c> records, per hour, the build and how many events its window held.
///
/// A report uses an hour's stored visits only while its window still holds that many events; an hour never built, or
/// whose window has since received events (a backfill, a node's spool replayed late), is cut from the events at
/// query time, for the visitors of that stretch only. So the numbers are exact at every moment, whether or not the
/// builder has caught up, and a build that failed half-way, or ran on two nodes at once, counts nothing twice: only
/// the latest recorded build of each hour is read.
/// </summary>
public sealed class MaterializedVisits(ClickHouseEventStore store)
{
    public const long Hour = 3_600_000_000;

    /// <summary>An hour's build reads events from this many hours before it…</summary>
    const int Before = 26;

    /// <summary>…to this many hours after its start.</summary>
    const int After = 2;

    /// <summary>The most hours one build statement covers.</summary>
    const int ChunkHours = 7 * 24;

    ClickHouseOptions Options => store.Options;
    ClickHouseHttp Registry => store.Shards[0];

    static long L(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>
    /// Events per UTC hour of a site, for hours in [first, last]. Whole hours are whole seconds, so the 4-byte
    /// <c>ts</c> bounds and groups them exactly (a third faster than the microseconds).
    /// </summary>
    async Task<Dictionary<long, long>> HourlyCountsAsync(int siteId, long first, long last, CancellationToken cancellationToken)
    {
        var (from, to) = (DateTime.UnixEpoch.AddHours(first), DateTime.UnixEpoch.AddHours(last + 1));
        var rows = await store.ReportAsync(
            $"SELECT intDiv(toUInt32(ts), 3600) AS h, count() FROM {Options.EventsTable} WHERE site_id = {siteId} AND {ClickHouseSql.TsRange(from, to)} GROUP BY h",
            cancellationToken);
        return rows.ToDictionary(r => L(r[0]), r => L(r[1]));
    }

    /// <summary>How many events the build window of <paramref name="hour"/> holds.</summary>
    static long Input(Dictionary<long, long> counts, long hour)
    {
        long sum = 0;
        for (var h = hour - Before; h < hour + After; h++) sum += counts.GetValueOrDefault(h);
        return sum;
    }

    /// <summary>The latest recorded build of each hour in [first, last]: its id and the events its window held.</summary>
    async Task<Dictionary<long, (long Build, long Input)>> BuildsAsync(int siteId, long first, long last, CancellationToken cancellationToken)
    {
        var rows = await Registry.QueryAsync(
            $"SELECT hour, max(build_id), argMax(input, build_id) FROM visit_builds WHERE site_id = {siteId} AND hour >= {first} AND hour <= {last} GROUP BY hour",
            cancellationToken);
        return rows.ToDictionary(r => L(r[0]), r => (L(r[1]), L(r[2])));
    }

    /// <summary>
    /// SQL giving every visit of the site whose last event falls in [<paramref name="fromMicros"/>,
    /// <paramref name="toMicros"/>), once, as <see cref="ClickHouseEventRows.VisitColumns"/>: stored visits of the hours
    /// whose build is current, visits cut now for the others.
    /// </summary>
    public async Task<string> SourceAsync(int siteId, long fromMicros, long toMicros, CancellationToken cancellationToken)
    {
        var first = fromMicros / Hour;
        var last = (toMicros - 1) / Hour;
        var counts = await HourlyCountsAsync(siteId, first - Before, last + After - 1, cancellationToken);
        var builds = await BuildsAsync(siteId, first, last, cancellationToken);
        var stored = new List<(long From, long To, long Build)>();
        var cut = new List<long>();
        for (var hour = first; hour <= last; hour++)
        {
            if (counts.GetValueOrDefault(hour) == 0) continue; // no event in the hour, so no visit ends in it
            if (builds.TryGetValue(hour, out var build) && build.Input == Input(counts, hour))
            {
                if (stored.Count > 0 && stored[^1].Build == build.Build && stored[^1].To == hour - 1) stored[^1] = stored[^1] with { To = hour };
                else stored.Add((hour, hour, build.Build));
            }
            else cut.Add(hour);
        }
        var parts = new List<string>();
        var columns = string.Join(", ", ClickHouseEventRows.VisitColumns);
        if (stored.Count > 0)
            parts.Add($"""
                SELECT {columns} FROM {Options.VisitsTable}
                WHERE site_id = {siteId} AND hour >= {stored[0].From} AND hour <= {stored[^1].To}
                  AND ({string.Join(" OR ", stored.Select(s => $"(hour >= {s.From} AND hour <= {s.To} AND build_id = {s.Build})"))})
                """);
        foreach (var stretch in Stretches(cut))
            parts.Add($"""
                SELECT {columns} FROM ({ClickHouseEventRows.Visits(Options.EventsTable, VisitorsWindow(siteId, stretch[0], stretch[^1]), siteId, BuildSpan(stretch[0], stretch[^1]))})
                WHERE intDiv(v_ended, {Hour}) IN ({string.Join(", ", stretch)})
                """);
        if (parts.Count == 0) parts.Add($"SELECT {columns} FROM {Options.VisitsTable} WHERE 0");
        return string.Join("\nUNION ALL\n", parts);
    }

    /// <summary>Hours to cut, grouped where their build windows overlap, so no event is read twice.</summary>
    static List<List<long>> Stretches(List<long> hours)
    {
        var stretches = new List<List<long>>();
        foreach (var hour in hours)
        {
            if (stretches.Count > 0 && hour - stretches[^1][^1] <= Before + After) stretches[^1].Add(hour);
            else stretches.Add([hour]);
        }
        return stretches;
    }

    /// <summary>The events that can belong to a visit ending in hours [first, last].</summary>
    static string BuildWindow(int siteId, long first, long last) => ClickHouseEventRows.Window(siteId, BuildSpan(first, last));

    /// <summary>The microseconds [from, to) of the events that can belong to a visit ending in hours [first, last].</summary>
    static (long From, long To) BuildSpan(long first, long last) => ((first - Before) * Hour, (last + After) * Hour);

    /// <summary>
    /// The build window of hours [first, last], narrowed to the people who could have a visit ending there: everyone
    /// with an event from an hour before to two hours after, and the visitor each of them continues from yesterday.
    /// </summary>
    string VisitorsWindow(int siteId, long first, long last)
    {
        var window = BuildWindow(siteId, first, last);
        var near = ClickHouseEventRows.Window(siteId, (first - 1) * Hour, (last + After) * Hour);
        return $"""
            {window} AND visitor_id GLOBAL IN (
                SELECT arrayJoin([visitor_id, prev_visitor_id]) FROM {Options.EventsTable}
                WHERE {window} AND visitor_id GLOBAL IN (SELECT visitor_id FROM {Options.EventsTable} WHERE {near}))
            """;
    }

    /// <summary>
    /// Builds every hour whose window ended by <paramref name="upTo"/> and that has no current build, for every site
    /// with events since <paramref name="since"/> (all of them when null); returns the hours built.
    /// </summary>
    public async Task<int> BuildAsync(DateTime upTo, DateTime? since, CancellationToken cancellationToken)
    {
        var lastBuildable = ClickHouseSql.Micros(upTo) / Hour - After;
        var sinceFilter = since is { } s ? $"WHERE ts >= {ClickHouseSql.DateTime(s)} AND toDate(ts) >= {ClickHouseSql.Date(s)}" : "";
        var sites = await store.ReportAsync($"SELECT site_id, intDiv(min(ts_us), {Hour}) FROM {Options.EventsTable} {sinceFilter} GROUP BY site_id", cancellationToken);
        var built = 0;
        foreach (var site in sites)
        {
            var siteId = (int)L(site[0]);
            var first = since is { } from ? Math.Max(L(site[1]), ClickHouseSql.Micros(from) / Hour) : L(site[1]);
            if (first > lastBuildable) continue;
            var counts = await HourlyCountsAsync(siteId, first - Before, lastBuildable + After - 1, cancellationToken);
            var builds = await BuildsAsync(siteId, first, lastBuildable, cancellationToken);
            var due = new List<long>();
            for (var hour = first; hour <= lastBuildable; hour++)
                if (counts.GetValueOrDefault(hour) > 0 && !(builds.TryGetValue(hour, out var b) && b.Input == Input(counts, hour))) due.Add(hour);
            foreach (var stretch in Stretches(due))
                for (var start = 0; start < stretch.Count; start += ChunkHours)
                {
                    var hours = stretch.Skip(start).Take(ChunkHours).ToList();
                    await BuildHoursAsync(siteId, hours, counts, cancellationToken);
                    built += hours.Count;
                }
        }
        return built;
    }

    /// <summary>
    /// Stores the visits ending in <paramref name="hours"/> under a new build id, then records the build. The counts
    /// were read before the visits were cut: an event arriving in between leaves the hour not current, to be built again.
    /// </summary>
    async Task BuildHoursAsync(int siteId, List<long> hours, Dictionary<long, long> counts, CancellationToken cancellationToken)
    {
        var build = DateTime.UtcNow.Ticks;
        var window = hours.Count <= 6 ? VisitorsWindow(siteId, hours[0], hours[^1]) : BuildWindow(siteId, hours[0], hours[^1]);
        var columns = string.Join(", ", ClickHouseEventRows.VisitColumns);
        await store.Shards[0].ExecuteAsync($"""
            INSERT INTO {Options.VisitsTable} (site_id, day, hour, build_id, {columns})
            SELECT {siteId}, toDate(toDateTime(intDiv(v_ended, 1000000)), 'UTC'), intDiv(v_ended, {Hour}), {build}, {columns}
            FROM ({ClickHouseEventRows.Visits(Options.EventsTable, window, siteId, BuildSpan(hours[0], hours[^1]))})
            WHERE intDiv(v_ended, {Hour}) IN ({string.Join(", ", hours)})
            """, cancellationToken, store.BuildSettings);
        await Registry.ExecuteAsync(
            $"INSERT INTO visit_builds (site_id, hour, build_id, input) VALUES {string.Join(", ", hours.Select(h => $"({siteId}, {h}, {build}, {Input(counts, h)})"))}",
            cancellationToken);
    }
}
