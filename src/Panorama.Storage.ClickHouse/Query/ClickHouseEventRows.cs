using System.Text.RegularExpressions;

namespace Panorama.Storage.ClickHouse.Query;

/// <summary>
/// Visits cut from a site's events with arrays (18.16 has no window functions): a person's events sorted by (time,
/// node, sequence), a visit started by a gap of 30 minutes or more and cut every 24 hours from its first event, its
/// attributes taken from its first event, as the embedded store's visits table holds them. <see cref="MaterializedVisits"/>
/// stores them; reports read them, and join events to them (<see cref="Joined"/>) where they need both.
/// </summary>
public static partial class ClickHouseEventRows
{
    /// <summary>Visit attributes, all taken from a visit's first event, empty ones too (the embedded store's v_* columns).</summary>
    public static readonly string[] VisitAttributes =
    [
        "source", "channel", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
        "device", "browser", "browser_version", "os", "os_version", "country", "region", "city", "screen",
    ];

    const long Day = 86_400_000_000;

    /// <summary>
    /// Visitors of today who continue yesterday's visitor among a site's events in [<paramref name="fromMicros"/>,
    /// <paramref name="toMicros"/>), the rule the embedded store's visit pass applies, here applied to every node's
    /// events at once: an event in the first 30 minutes after midnight carries the person's id under yesterday's salt
    /// too; when the person's first event of the day comes within 30 minutes after that visitor's last event, the run
    /// of events from it (gaps under 30 minutes, past the first half hour too) counts as that visitor's. Engagement
    /// events neither start nor extend a visit, so they play no part. The ids and yesterday's last events come from
    /// the midnight table (<see cref="ClickHouseSchema.MidnightRows"/>), a few rows, instead of a scan of the period.
    /// </summary>
    public static string Continuations(string table, int siteId, long fromMicros, long toMicros)
    {
        var near = $"site_id = {siteId} AND day >= {Date(fromMicros)} AND day <= {Date(toMicros)} AND ts_us >= {fromMicros} AND ts_us < {toMicros}";
        const string continues = "prev_visitor_id != visitor_id AND prev_visitor_id != 0";
        return $"""
            SELECT visitor_id, m_x, m_end, m_next FROM (
                SELECT visitor_id, m_x, m_first, m_end, m_next FROM (
                    SELECT visitor_id, arraySort(groupArray(ts_us)) AS stamps, stamps[1] AS m_first,
                           arrayFirstIndex(i -> i > 1 AND stamps[i] - stamps[i - 1] >= 1800000000, arrayEnumerate(stamps)) AS gap,
                           if(gap = 0, stamps[length(stamps)], stamps[gap - 1]) AS m_end,
                           -- Where the person's next visit of the day starts, 0 for none: engagement events before it go with the run.
                           if(gap = 0, 0, stamps[gap]) AS m_next
                    FROM {table}
                    WHERE {Window(siteId, fromMicros, toMicros)} AND name != 'engagement'
                      -- A plain IN on each shard's own rows: a person's midnight rows sit on the shard of their events,
                      -- and 18.16 prunes the primary key with such a set (not with a GLOBAL one).
                      AND visitor_id IN (SELECT visitor_id FROM {Beside(table, "midnight_local")} WHERE {near} AND {continues})
                    GROUP BY visitor_id
                ) ANY INNER JOIN (
                    SELECT visitor_id, any(prev_visitor_id) AS m_x FROM {MidnightTable(table)} WHERE {near} AND {continues} GROUP BY visitor_id
                ) USING visitor_id
            ) ANY INNER JOIN (
                -- Only a last event in the half hour before midnight can be continued.
                SELECT visitor_id AS m_x, max(ts_us) AS x_last FROM {MidnightTable(table)} WHERE {near} AND ts_us % {Day} >= {Day - 1_800_000_000} GROUP BY visitor_id
            ) USING m_x
            WHERE m_first >= x_last AND m_first - x_last < 1800000000
            """;
    }

    /// <summary>
    /// The person an event (with the columns of <see cref="Continuations"/> joined) counts for: yesterday's visitor for the
    /// run that continues a visit across midnight, and for an engagement event after that run unless the person's next
    /// visit started before it (it comes when its page is hidden, after the page's last event).
    /// </summary>
    public const string Person = "if(m_end > 0 AND (ts_us <= m_end OR name = 'engagement' AND (m_next = 0 OR ts_us < m_next)), m_x, visitor_id)";

    /// <summary>The midnight table beside an events table: the Distributed one beside <c>events</c>, the local one beside <c>events_local</c>.</summary>
    static string MidnightTable(string eventsTable) => Beside(eventsTable, eventsTable.EndsWith("_local", StringComparison.Ordinal) ? "midnight_local" : "midnight");

    /// <summary>A table in the same database as <paramref name="eventsTable"/> (<c>database.name</c>).</summary>
    static string Beside(string eventsTable, string name) => eventsTable[..(eventsTable.LastIndexOf('.') + 1)] + name;

    static string Date(long micros) => ClickHouseSql.Date(DateTime.UnixEpoch.AddTicks(micros * 10));

    /// <summary>
    /// Rows for events with <c>ts_us</c> in [<paramref name="fromMicros"/>, <paramref name="toMicros"/>) (engagement
    /// left out), each with its visit's columns from <paramref name="visits"/> (<see cref="MaterializedVisits.SourceAsync"/>):
    /// joined on the person the event counts for and the visit's span, which holds each of a person's events in
    /// exactly one of their visits. An event whose visit is not among <paramref name="visits"/> is left out. Only the
    /// columns <paramref name="uses"/> (the SQL that reads the rows) names are carried, and a condition on one side
    /// alone is applied on that side, before the join: the rows a hash join holds are what it costs.
    /// </summary>
    /// <param name="engagement">
    /// Which engagement events are rows too (those reaching a scroll depth goal the query uses), or null for none. Each
    /// joins the visit of its person that started last at or before it: it comes after its page's last event, maybe
    /// after the visit's, as the embedded store's ASOF join finds it.
    /// </param>
    /// <param name="engagementOnly">Whether the engagement events are the only rows (page engagement without "has done").</param>
    public static string Joined(string table, int siteId, long fromMicros, long toMicros, string visits, string uses, string eventCondition = "1", string visitCondition = "1",
        string? engagement = null, bool engagementOnly = false)
    {
        bool Named(string column) => Regex.IsMatch(uses, $@"\b{column}\b") || (engagement is not null && Regex.IsMatch(engagement, $@"\b{column}\b"));
        var fields = new List<string> { "ts_us", "node", "seq", "name", "revenue_micros", "revenue_currency" };
        if (Named("interactive")) fields.Add("interactive");
        if (Named("pathname")) fields.Add("pathname");
        if (Named("hostname")) fields.Add("hostname");
        if (Named("prop_keys") || Named("prop_values")) fields.AddRange(["prop_keys", "prop_values"]);
        if (Named("scroll_depth")) fields.Add("scroll_depth");
        if (Named("engagement_ms")) fields.Add("engagement_ms");
        var visitColumns = VisitColumns.Skip(1).Where(c => c is "v_started" or "v_ended" or "v_duration" or "v_pageviews" or "v_bounce" || Named(c)).ToList();
        var (fieldList, visitList) = (string.Join(", ", fields), string.Join(", ", visitColumns));
        var rows = $"""
            SELECT visitor_id, {fieldList}, {visitList}
            FROM (
                SELECT person AS visitor_id, {fieldList}
                FROM ({PersonEvents(table, siteId, fromMicros, toMicros, fields)})
                WHERE {eventCondition}
            ) ALL INNER JOIN (
                SELECT visitor_id, {visitList} FROM ({visits}) WHERE {visitCondition}
            ) USING visitor_id
            WHERE ts_us >= v_started AND ts_us <= v_ended
            """;
        if (engagement is null) return rows;
        var engaged = $"""
            SELECT person AS visitor_id, {fieldList}
            FROM ({PersonEvents(table, siteId, fromMicros, toMicros, fields, $"name = 'engagement' AND ({engagement})")})
            WHERE {eventCondition}
            """;
        var inVisits = InLatestVisit(engaged, fieldList, visits, visitList, visitCondition);
        return engagementOnly ? inVisits : $"""
            {rows}
            UNION ALL
            {inVisits}
            """;
    }

    /// <summary>
    /// Each of <paramref name="rows"/> (<c>visitor_id</c>, <c>ts_us</c> and <paramref name="columns"/>, which hold both) with
    /// the columns <paramref name="visitColumns"/> of the visit of its person that started last at or before it — the
    /// embedded store's ASOF join, which 18.16 lacks: the latest start over every visit read first, then that visit's
    /// columns, where it passes <paramref name="visitCondition"/>. For engagement events, which come after their page's
    /// last event, maybe after the visit's.
    /// </summary>
    public static string InLatestVisit(string rows, string columns, string visits, string visitColumns, string visitCondition) => $"""
        SELECT visitor_id, {columns}, {visitColumns}
        FROM (
            SELECT visitor_id, {columns}, max(v_start) AS v_started
            FROM ({rows}) ALL INNER JOIN (
                -- Another name: 18.16 would put max() in place of v_started in the WHERE.
                SELECT visitor_id, v_started AS v_start FROM ({visits})
            ) USING visitor_id
            WHERE v_start <= ts_us
            GROUP BY visitor_id, {columns}
        ) ANY INNER JOIN (
            SELECT visitor_id, {visitColumns} FROM ({visits}) WHERE {visitCondition}
        ) USING (visitor_id, v_started)
        """;

    /// <summary>
    /// The visit of each position of <c>times</c> (sorted): a run of events with gaps under 30 minutes, cut every 24 hours
    /// from its first event; positions of one visit get the same key.
    /// </summary>
    static string VisitKeys(string name) => $"""
        arrayCumSum(arrayMap(i -> if(i = 1 OR times[i] - times[i - 1] >= 1800000000, 1, 0), positions)) AS runs,
                   arrayMap(i -> runs[i] * 1000 + intDiv(times[i] - times[indexOf(runs, runs[i])], {Day}), positions) AS {name}
        """;

    /// <summary>
    /// A site's events in [<paramref name="fromMicros"/>, <paramref name="toMicros"/>) (engagement left out), each with
    /// <c>person</c>, the visitor it counts for; the continuations read a day more, for the visits that go on past
    /// midnight into the first day.
    /// </summary>
    /// <param name="which">Which events: all but engagement events unless said otherwise (scroll depth goals need some).</param>
    public static string PersonEvents(string table, int siteId, long fromMicros, long toMicros, IReadOnlyList<string> fields, string which = NotEngagement) =>
        PersonEvents(table, Window(siteId, fromMicros, toMicros), fields, Continuations(table, siteId, fromMicros - Day, toMicros), which);

    public const string NotEngagement = "name != 'engagement'";

    /// <summary>Events in the window (engagement left out), each with the person it counts for: yesterday's visitor when it continues a visit across midnight.</summary>
    static string PersonEvents(string table, string window, IReadOnlyList<string> fields, string continuations, string which = NotEngagement) => $"""
        SELECT {Person} AS person, {string.Join(", ", fields)}
        FROM (SELECT visitor_id, {string.Join(", ", fields.Contains("name") ? fields : [.. fields, "name"])} FROM {table} WHERE {window} AND ({which}))
        ANY LEFT JOIN ({continuations}) USING visitor_id
        """;

    /// <summary>The columns of a visit row, in the order <see cref="Visits"/> gives them and the visits table holds them.</summary>
    public static readonly string[] VisitColumns =
        ["visitor_id", "v_started", "v_ended", "v_duration", "v_pageviews", "v_bounce", "v_entry_page", "v_exit_page", .. VisitAttributes.Select(a => "v_" + a)];

    /// <summary>
    /// One row per visit (<see cref="VisitColumns"/>) cut from the events matching <paramref name="window"/> — a visit
    /// whose events the window holds in full comes out as the embedded store cuts it. Arrays only number each
    /// person's events by visit; the visits are then plain aggregates, which 18.16 analyses and runs far faster than a
    /// lambda per visit attribute.
    /// </summary>
    /// <param name="window">The events' condition: the site's events in <paramref name="span"/> (microseconds), maybe narrowed to some visitors.</param>
    public static string Visits(string table, string window, int siteId, (long From, long To) span)
    {
        List<string> fields = ["ts_us", "node", "seq", "name", "interactive", "pathname", .. VisitAttributes];
        int At(string field) => fields.IndexOf(field) + 1;
        var attributes = VisitAttributes.Select(a => $"argMin(e_{a}, pos) AS v_{a}");
        return $"""
            SELECT person AS visitor_id, min(e_ts) AS v_started, max(e_ts) AS v_ended, intDiv(max(e_ts), 1000000) - intDiv(min(e_ts), 1000000) AS v_duration,
                   toUInt32(countIf(e_pageview)) AS v_pageviews, toUInt8(if(countIf(e_pageview) <= 1 AND max(e_interactive) = 0, 1, 0)) AS v_bounce,
                   argMinIf(e_pathname, pos, e_pageview) AS v_entry_page, argMaxIf(e_pathname, pos, e_pageview) AS v_exit_page,
                   {string.Join(", ", attributes)}
            FROM (
                SELECT person, visit, pos, tupleElement(e, 1) AS e_ts, tupleElement(e, {At("name")}) = 'pageview' AS e_pageview,
                       {string.Join(", ", fields.Skip(4).Select(f => $"tupleElement(e, {At(f)}) AS e_{f}"))}
                FROM (
                    SELECT person, ev, arrayEnumerate(ev) AS positions, arrayMap(x -> tupleElement(x, 1), ev) AS times,
                           {VisitKeys("visit_keys")}
                    FROM ({SortedEvents(table, window, fields, Continuations(table, siteId, span.From, span.To))})
                )
                ARRAY JOIN ev AS e, visit_keys AS visit, positions AS pos
            )
            GROUP BY person, visit
            """;
    }

    /// <summary>
    /// Each person's events: <c>ev</c>, tuples of <paramref name="fields"/> (ts_us, node, seq first) in that order. The
    /// tuples are sorted whole: (ts_us, node, seq) is unique, so the rest is never compared.
    /// </summary>
    static string SortedEvents(string table, string window, IReadOnlyList<string> fields, string continuations) => $"""
        SELECT person, arraySort(groupArray(({string.Join(", ", fields)}))) AS ev
        FROM ({PersonEvents(table, window, fields, continuations)})
        GROUP BY person
        """;

    /// <summary>A site's events in [from, to), with conditions on <c>ts</c> and its day too so that the sort key prunes.</summary>
    public static string Window(int siteId, (long From, long To) span) => Window(siteId, span.From, span.To);

    public static string Window(int siteId, long fromMicros, long toMicros) =>
        $"site_id = {siteId} AND {ClickHouseSql.TsRange(Floor(fromMicros), Ceiling(toMicros))} AND ts_us >= {fromMicros} AND ts_us < {toMicros}";

    static DateTime Floor(long micros) => DateTime.UnixEpoch.AddTicks(micros * 10).AddSeconds(-1);
    static DateTime Ceiling(long micros) => DateTime.UnixEpoch.AddTicks(micros * 10).AddSeconds(1);
}
