using Panorama.Core.Goals;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;

namespace Panorama.Storage.ClickHouse.Query;

/// <summary>
/// The SQL of one <see cref="StoreQuery"/> on ClickHouse: every event of the period with its visit's columns
/// (<see cref="ClickHouseEventRows"/>), filtered, grouped per visit and then per dimension values — the embedded
/// store's general plan. Sums and counts come back whole; rounding, ordering and pages are done by the caller, so
/// the numbers round exactly as the embedded store rounds them. Values are quoted by <see cref="ClickHouseSql"/>;
/// column names come from <see cref="Dimension"/>'s fixed catalogue.
/// </summary>
/// <param name="pageEngagement">Whether the SQL is <see cref="BuildPageEngagement"/>'s.</param>
sealed class ClickHouseQuerySql(StoreQuery query, string table, bool pageEngagement = false)
{
    const long Day = 86_400_000_000;
    readonly long from = ClickHouseSql.Micros(query.Range.From);
    readonly long to = ClickHouseSql.Micros(query.Range.To);
    readonly List<string> hasDone = [];

    // Scroll depth goals the query uses (StorePlans.ScrollGoalsUsed, and a funnel's steps): their engagement events are rows too.
    readonly List<Goal> scrollGoals = [.. StorePlans.ScrollGoalsUsed(query)];

    // Every engagement event is a row: page engagement under a filter (BuildPageEngagement). The other events are rows
    // only for a "has done" condition, which looks at a visit's every event.
    readonly bool allEngagement = pageEngagement;

    string? ScrollMatches => allEngagement ? "1" : scrollGoals.Count == 0 ? null : string.Join(" OR ", scrollGoals.Select(SingleGoalMatch));

    static readonly HashSet<string> MayBeMissing =
        ["v_referrer", "v_utm_source", "v_utm_medium", "v_utm_campaign", "v_utm_content", "v_utm_term", "v_browser_version", "v_os_version",
         "v_country", "v_region", "v_city", "v_screen", "v_entry_page", "v_exit_page"];

    /// <summary>Where the event rows go; replaced once the whole statement is known, so that only the columns it names are carried.</summary>
    const string RowsPlaceholder = "/*rows*/";

    string Rows() => RowsPlaceholder;

    /// <summary>The visits' SQL given to <see cref="Build"/> or <see cref="BuildFunnel"/>.</summary>
    string? visits;

    /// <summary>The filter, where it is on events alone or on visits alone: applied on its side of the join of events to visits.</summary>
    string eventSide = "1", visitSide = "1";

    /// <summary>
    /// Events from the period's start (a day before, for "has done" filters, which look at a visit's every event) to
    /// 24 hours after it, each with its visit: the visits read end in [from, to + 24 h), so those that hold an
    /// event of the period or start in it.
    /// </summary>
    string WithRows(string sql)
    {
        ArgumentNullException.ThrowIfNull(visits);
        var rows = ClickHouseEventRows.Joined(table, query.SiteId, hasDone.Count > 0 ? from - Day : from, to + Day, visits, sql, eventSide, visitSide, ScrollMatches,
            engagementOnly: allEngagement && hasDone.Count == 0);
        return sql.Replace(RowsPlaceholder, rows, StringComparison.Ordinal);
    }

    /// <summary>Moves a filter on events alone, or on visits alone, to its side of the join (it stays where it is too).</summary>
    void PushDown(string filter)
    {
        if (query.Filter is null) return;
        if (StorePlans.OnlyEventConditions(query.Filter)) eventSide = filter;
        else if (StorePlans.OnlyVisitConditions(query.Filter)) visitSide = filter;
    }

    string InRange(string column) => $"({column} >= {from} AND {column} < {to})";

    static readonly HashSet<Metric> VisitMetrics = [Metric.Visitors, Metric.Visits, Metric.BounceRate, Metric.VisitDuration, Metric.ViewsPerVisit];

    /// <summary>Visit metrics by visit dimensions, filtered on visits only: the visits answer alone (as in the embedded store).</summary>
    bool AnswerableFromVisits =>
        query.Metrics.All(VisitMetrics.Contains)
        && query.Dimensions.All(d => d.Kind == DimensionKind.Visit)
        && (query.Filter is null || StorePlans.OnlyVisitConditions(query.Filter))
        && query.Range.To - query.Range.From >= TimeSpan.FromMinutes(30);

    bool TotalsOrTimeSeries => query.Filter is null && (query.Dimensions.Count == 0 || query.Dimensions is [{ Kind: DimensionKind.Time }]);

    /// <summary>
    /// Whether <see cref="Build"/> reads visits (<see cref="MaterializedVisits"/>): then it needs those whose last event
    /// falls in [<see cref="VisitsFrom"/>, <see cref="VisitsTo"/>). Only event metrics by event dimensions, filtered on
    /// events, do without.
    /// </summary>
    public bool ReadsVisits => AnswerableFromVisits || !StorePlans.AnswerableFromEvents(query);

    /// <remarks>
    /// An engagement event comes when its page is hidden, after its visit's last event, maybe in a later hour or day: where
    /// engagement events are rows, the visits read start a day earlier, so that each still finds its visit (the embedded
    /// store's ASOF join looks two days back).
    /// </remarks>
    public long VisitsFrom => allEngagement || scrollGoals.Count > 0 ? from - Day : from;

    public long VisitsTo => to + Day;

    /// <summary>The grouped rows: d0…dn, then visitors, visits, pageviews, events, visit_pageviews, bounces, durations, revenue, revenue_events, currency_low, currency_high.</summary>
    /// <param name="visits">The visits' SQL, when <see cref="ReadsVisits"/>.</param>
    public string Build(string? visits = null)
    {
        if (!ReadsVisits) return BuildFromEvents();
        ArgumentNullException.ThrowIfNull(visits);
        this.visits = visits;
        if (AnswerableFromVisits) return BuildFromVisits(visits);
        if (TotalsOrTimeSeries) return BuildTotalsOrTimeSeries(visits);
        var filter = query.Filter is null ? "1" : Compile(query.Filter);
        PushDown(filter);
        var dims = query.Dimensions.Select(DimensionExpression).ToList();
        var names = Enumerable.Range(0, dims.Count).Select(i => $"d{i}").ToList();
        var scope = query.Dimensions.Any(d => d.Kind is DimensionKind.Event or DimensionKind.Goal or DimensionKind.Property)
            ? InRange("ts_us")
            : $"({InRange("ts_us")} OR {InRange("v_started")})";
        string source;
        if (query.Dimensions.Any(d => d.Kind == DimensionKind.Goal))
            source = query.Goals.Count == 0
                ? $"SELECT *, '' AS goal FROM ({WithHasDone()}) WHERE 0"
                : EachGoalMatched(WithHasDone(), $"{InRange("ts_us")} AND ({filter})");
        else
            source = $"SELECT * FROM ({WithHasDone()}) WHERE {scope} AND ({filter})";
        var timeIndex = query.Dimensions.ToList().FindIndex(d => d.Kind == DimensionKind.Time);
        var counted = timeIndex < 0 ? InRange("v_started") : $"{InRange("v_started")} AND {Bucket("v_started", query.Dimensions[timeIndex])} = d{timeIndex}";
        var dimensionList = string.Concat(names.Select(n => n + ", "));
        var inRange = InRange("ts_us");
        return WithRows($"""
            SELECT {dimensionList}uniqExactIf(visitor_id, events > 0), countIf({counted}), sum(pageviews), sum(events),
                   sumIf(visit_pageviews, {counted}), sumIf(bounce, {counted}), sumIf(duration, {counted}),
                   sum(revenue), sum(revenue_events), minIf(currency_low, currency_low != ''), maxIf(currency_high, currency_high != '')
            FROM (
                SELECT {string.Concat(dims.Select((d, i) => $"{d} AS d{i}, "))}visitor_id, v_started,
                       any(v_duration) AS duration, any(v_pageviews) AS visit_pageviews, any(v_bounce) AS bounce,
                       countIf({inRange} AND name = 'pageview') AS pageviews,
                       countIf({inRange}) AS events,
                       sumIf(assumeNotNull(revenue_micros), {inRange} AND isNotNull(revenue_micros)) AS revenue,
                       countIf({inRange} AND isNotNull(revenue_micros)) AS revenue_events,
                       minIf(revenue_currency, {inRange} AND isNotNull(revenue_micros)) AS currency_low,
                       maxIf(revenue_currency, {inRange} AND isNotNull(revenue_micros)) AS currency_high
                FROM ({source})
                GROUP BY {dimensionList}visitor_id, v_started
            )
            {(names.Count > 0 ? "GROUP BY " + string.Join(", ", names) : "")}
            """);
    }

    /// <summary>Whether page engagement needs no visits: without a filter, or with one on pages alone.</summary>
    public bool PageEngagementFromEvents => query.Filter is null || StorePlans.OnlyPageConditions(query.Filter);

    /// <summary>Page engagement from the period's engagement events alone (<see cref="PageEngagementFromEvents"/>), <paramref name="timeFilter"/> picking the period.</summary>
    public string BuildPageEngagementFromEvents(string timeFilter) => $"""
        SELECT pathname, {ClickHouseEventStore.EngagementSums}
        FROM (
            SELECT pathname, visitor_id, max(scroll_depth) AS depth, sum(engagement_ms) AS engaged
            FROM {table}
            WHERE site_id = {query.SiteId} AND name = 'engagement' AND {timeFilter} AND ({(query.Filter is null ? "1" : Compile(query.Filter))})
            GROUP BY pathname, visitor_id
        )
        GROUP BY pathname
        """;

    /// <summary>
    /// Per page, the sums of each visitor's deepest scroll and engaged time, from the engagement events of the period that pass the
    /// filter, each in the visit of its person that started last at or before it (<see cref="ClickHouseEventRows.Joined"/>),
    /// among every event, so conditions on visits and "has done" hold as for any other row.
    /// </summary>
    public string BuildPageEngagement(string visits)
    {
        if (!allEngagement) throw new InvalidOperationException("Made for other SQL than page engagement.");
        this.visits = visits;
        var filter = Compile(query.Filter!);
        PushDown(filter);
        return WithRows($"""
            SELECT pathname, {ClickHouseEventStore.EngagementSums}
            FROM (
                SELECT pathname, visitor_id, max(scroll_depth) AS depth, sum(engagement_ms) AS engaged
                FROM ({WithHasDone()})
                WHERE name = 'engagement' AND {InRange("ts_us")} AND ({filter})
                GROUP BY pathname, visitor_id
            )
            GROUP BY pathname
            """);
    }

    /// <summary>Visits that overlap the period and pass the filter; a visit counts (visits, bounces, durations) where it starts in the period.</summary>
    string BuildFromVisits(string visits)
    {
        var filter = query.Filter is null ? "1" : Compile(query.Filter);
        var dims = query.Dimensions.Select(DimensionExpression).ToList();
        var started = $"v_started >= {from}";
        return $"""
            SELECT {string.Concat(dims.Select((d, i) => $"{d} AS d{i}, "))}uniqExact(visitor_id), countIf({started}), 0, 0,
                   sumIf(v_pageviews, {started}), sumIf(v_bounce, {started}), sumIf(v_duration, {started}), 0, 0, '', ''
            FROM ({visits})
            WHERE v_started < {to} AND v_ended >= {from} AND v_started >= {from - Day} AND ({filter})
            {(dims.Count > 0 ? "GROUP BY " + string.Join(", ", dims.Select((_, i) => $"d{i}")) : "")}
            """;
    }

    /// <summary>Unfiltered totals or a time series: event figures from the events, visit figures from the visits that start in each bucket.</summary>
    string BuildTotalsOrTimeSeries(string visits)
    {
        var time = query.Dimensions.Count == 1 ? query.Dimensions[0] : null;
        var bucket = time is null ? "" : $"{Bucket("v_started", time)} AS d0, ";
        var group = time is null ? "" : "GROUP BY d0";
        return $"""
            SELECT {(time is null ? "" : "d0, ")}sum(r_visitors), sum(r_visits), sum(r_pageviews), sum(r_events), sum(r_visit_pageviews), sum(r_bounces), sum(r_durations),
                   sum(r_revenue), sum(r_revenue_events), minIf(r_low, r_low != ''), maxIf(r_high, r_high != '')
            FROM (
                {BuildFromEvents(named: true)}
                UNION ALL
                SELECT {bucket}toUInt64(0) AS r_visitors, count() AS r_visits, toUInt64(0) AS r_pageviews, toUInt64(0) AS r_events,
                       toUInt64(sum(v_pageviews)) AS r_visit_pageviews, toUInt64(sum(v_bounce)) AS r_bounces, sum(v_duration) AS r_durations,
                       toInt64(0) AS r_revenue, toUInt64(0) AS r_revenue_events, '' AS r_low, '' AS r_high
                FROM ({visits})
                WHERE v_started >= {from} AND v_started < {to}
                {group}
            )
            {group}
            """;
    }

    /// <summary>
    /// The period's events, each with the visitor it counts for (yesterday's, when it continues a visit across
    /// midnight), grouped by the dimensions; the same columns as <see cref="Build"/>, with the visit figures zero.
    /// </summary>
    /// <param name="named">Names the figures (r_visitors…) for <see cref="BuildTotalsOrTimeSeries"/>.</param>
    string BuildFromEvents(bool named = false)
    {
        var filter = query.Filter is null ? "1" : Compile(query.Filter);
        var dims = query.Dimensions.Select(DimensionExpression).ToList();
        var names = Enumerable.Range(0, dims.Count).Select(i => $"d{i}").ToList();
        var events = ClickHouseEventRows.PersonEvents(table, query.SiteId, from, to,
            ["ts_us", "name", "pathname", "hostname", "revenue_micros", "revenue_currency", "prop_keys", "prop_values", "scroll_depth"],
            ScrollMatches is { } scroll ? $"{ClickHouseEventRows.NotEngagement} OR {scroll}" : ClickHouseEventRows.NotEngagement);
        var source = query.Dimensions.Any(d => d.Kind == DimensionKind.Goal)
            ? query.Goals.Count == 0
                ? $"SELECT *, '' AS goal FROM ({events}) WHERE 0"
                : EachGoalMatched(events, $"({filter})")
            : $"SELECT * FROM ({events}) WHERE {filter}";
        string[] figures =
        [
            "toUInt64(uniqExact(person))", "toUInt64(0)", "toUInt64(countIf(name = 'pageview'))", "toUInt64(count())", "toUInt64(0)", "toUInt64(0)", "toInt64(0)",
            "toInt64(sumIf(assumeNotNull(revenue_micros), isNotNull(revenue_micros)))", "toUInt64(countIf(isNotNull(revenue_micros)))",
            "minIf(revenue_currency, isNotNull(revenue_micros))", "maxIf(revenue_currency, isNotNull(revenue_micros))",
        ];
        string[] figureNames = ["r_visitors", "r_visits", "r_pageviews", "r_events", "r_visit_pageviews", "r_bounces", "r_durations", "r_revenue", "r_revenue_events", "r_low", "r_high"];
        return $"""
            SELECT {string.Concat(dims.Select((d, i) => $"{d} AS d{i}, "))}{string.Join(", ", figures.Select((f, i) => named ? $"{f} AS {figureNames[i]}" : f))}
            FROM ({source})
            {(names.Count > 0 ? "GROUP BY " + string.Join(", ", names) : "")}
            """;
    }

    /// <summary>
    /// The rows once per goal they match, with the goal's name, from one scan of them (one subquery per goal read the
    /// events, and their midnight join, once per goal).
    /// </summary>
    string EachGoalMatched(string rows, string condition)
    {
        var names = string.Join(", ", query.Goals.Select(goal => $"if({SingleGoalMatch(goal)}, {ClickHouseSql.String(goal.DisplayName)}, '')"));
        var any = string.Join(" OR ", query.Goals.Select(SingleGoalMatch));
        return $"SELECT *, arrayJoin(arrayFilter(g -> g != '', [{names}])) AS goal FROM ({rows}) WHERE ({any}) AND {condition}";
    }

    /// <summary>
    /// One row: for each step, the visitors whose best visit (started in the period, passing the filter) reached it.
    /// 18.16 has no array fold, so each step's event is found greedily instead: step k is completed by the first event,
    /// at or after the one that completed step k-1, whose mask has bit k — the same as
    /// <see cref="FunnelCalculator.StepsReached"/>. One subquery per step, because 18.16 expands aliases in place.
    /// </summary>
    public string BuildFunnel(IReadOnlyList<FunnelStep> steps, string visits)
    {
        this.visits = visits;
        var scrollSteps = steps.Select(s => s.Goal).OfType<Goal>().Where(g => g.IsScroll).ToList();
        scrollGoals.AddRange(scrollSteps.Where(g => !scrollGoals.Contains(g)));
        var filter = query.Filter is null ? "1" : Compile(query.Filter);
        var mask = string.Join(" + ", steps.Select((step, i) => $"if({StepMatch(step)}, {1L << i}, 0)"));
        // Tuples sort by their fields in order, and (ts_us, node, seq) is unique: no key lambda needed.
        const string masks = "arrayMap(x -> tupleElement(x, 4), arraySort(groupArray((ts_us, node, seq, mask)))) AS masks";
        var counts = $"""
            SELECT {string.Join(", ", steps.Select((_, k) => $"countIf(reached > {k})"))}
            FROM (
                SELECT visitor_id, max(reached) AS reached
                FROM ({StepsReached("/*visits*/", steps.Count)})
                GROUP BY visitor_id
            )
            """;
        if (StorePlans.FunnelFromStepEvents(query))
        {
            // Only the events that match a step, each joined to the visit holding it: under its own id, or under
            // yesterday's id when it continues a visit from before midnight (ClickHouseEventRows.Continuations).
            var onEvents = query.Filter is not null && StorePlans.OnlyEventConditions(query.Filter);
            // The window's conditions on ts let the sort key (site, day) skip the other days.
            string Persons(string which) => $"""
                SELECT person AS visitor_id, ts_us, node, seq, mask FROM (
                    SELECT {ClickHouseEventRows.Person} AS person, ts_us, node, seq, mask
                    FROM (
                        SELECT * FROM (
                            SELECT visitor_id, ts_us, node, seq, name, {mask} AS mask FROM {table}
                            WHERE {ClickHouseEventRows.Window(query.SiteId, from, to + Day)} AND ({which})
                              AND ({(onEvents ? filter : "1")})
                        ) WHERE mask > 0
                    )
                    ANY LEFT JOIN ({ClickHouseEventRows.Continuations(table, query.SiteId, from - Day, to + Day)}) USING visitor_id
                )
                """;
            var visitCondition = $"{InRange("v_started")} AND ({(onEvents ? "1" : filter)})";
            var stepRows = $"""
                SELECT visitor_id, ts_us, node, seq, mask, v_started
                FROM ({Persons(ClickHouseEventRows.NotEngagement)}) ALL INNER JOIN (
                    SELECT visitor_id, v_started, v_ended FROM ({visits}) WHERE {visitCondition}
                ) USING visitor_id
                WHERE ts_us >= v_started AND ts_us <= v_ended
                """;
            if (scrollSteps.Count > 0)
                stepRows += "\nUNION ALL\n" + ClickHouseEventRows.InLatestVisit(
                    Persons($"name = 'engagement' AND ({string.Join(" OR ", scrollSteps.Select(SingleGoalMatch))})"), "ts_us, node, seq, mask", visits, "v_started", visitCondition);
            return counts.Replace("/*visits*/", $"""
                SELECT visitor_id, {masks}
                FROM ({stepRows})
                GROUP BY visitor_id, v_started
                """, StringComparison.Ordinal);
        }
        return WithRows(counts.Replace("/*visits*/", $"""
            SELECT visitor_id, {masks}
            FROM (
                SELECT visitor_id, v_started, ts_us, node, seq, {mask} AS mask
                FROM ({WithHasDone()})
                WHERE {InRange("v_started")} AND ({filter})
            )
            WHERE mask > 0
            GROUP BY visitor_id, v_started
            """, StringComparison.Ordinal));
    }

    /// <summary>
    /// Adds <c>reached</c>, the steps a visit completed, to rows of <c>visitor_id</c> and <c>masks</c> (its events' step
    /// masks in order).
    /// </summary>
    internal static string StepsReached(string visits, int stepCount)
    {
        var level = visits;
        for (var k = 0; k < stepCount; k++)
        {
            // p{k}: 1-based index of the event that completed step k, 0 if the visit never did.
            var found = k == 0
                ? "arrayFirstIndex(m -> bitAnd(m, 1) != 0, masks)"
                : $"if(p{k - 1} = 0, 0, arrayFirstIndex((m, i) -> bitAnd(m, {1L << k}) != 0 AND i >= p{k - 1}, masks, arrayEnumerate(masks)))";
            level = $"SELECT visitor_id, masks{string.Concat(Enumerable.Range(0, k).Select(j => $", p{j}"))}, {found} AS p{k} FROM ({level})";
        }
        return $"SELECT visitor_id, {string.Join(" + ", Enumerable.Range(0, stepCount).Select(k => $"(p{k} > 0)"))} AS reached FROM ({level})";
    }

    /// <summary>
    /// Conversions of a goal in the period, each with the same person's visits that started within the lookback
    /// before it; <paramref name="visits"/> holds those that end in [from - lookback, to + 24 h).
    /// </summary>
    public string BuildConversionPaths(Goal goal, TimeSpan lookback, string visits)
    {
        var back = (long)lookback.TotalSeconds * 1_000_000;
        List<string> fields = ["ts_us", "node", "seq", "name", "pathname", "revenue_micros", "revenue_currency", "prop_keys", "prop_values", "scroll_depth"];
        return $"""
            SELECT c_ts, c_revenue, arraySort(x -> tupleElement(x, 1), groupArray((v_started, v_channel, campaign)))
            FROM (
                SELECT visitor_id, c_ts, c_node, c_seq, c_revenue, v_started, v_channel, campaign
                FROM (
                    SELECT person AS visitor_id, ts_us AS c_ts, node AS c_node, seq AS c_seq, ifNull(revenue_micros, 0) AS c_revenue
                    FROM ({ClickHouseEventRows.PersonEvents(table, query.SiteId, from, to, fields, goal.IsScroll ? "name = 'engagement'" : ClickHouseEventRows.NotEngagement)})
                    WHERE {SingleGoalMatch(goal)}
                )
                ALL INNER JOIN (
                    SELECT visitor_id, v_started, v_channel, if(v_utm_campaign = '', '(none)', v_utm_campaign) AS campaign FROM ({visits})
                ) USING visitor_id
                WHERE v_started <= c_ts AND v_started >= c_ts - {back}
            )
            GROUP BY c_node, c_seq, c_ts, c_revenue
            ORDER BY c_ts, c_node, c_seq
            """;
    }

    /// <summary>The rows, with a column per "has done" filter: whether any event of the visit matches it.</summary>
    string WithHasDone()
    {
        if (hasDone.Count == 0) return Rows();
        return $"""
            SELECT * FROM ({Rows()})
            ANY LEFT JOIN (
                SELECT visitor_id, v_started, {string.Join(", ", hasDone.Select((condition, i) => $"max({condition}) AS hd{i}"))}
                FROM ({Rows()}) GROUP BY visitor_id, v_started
            ) USING (visitor_id, v_started)
            """;
    }

    string StepMatch(FunnelStep step) => step switch
    {
        { PagePath: { } path } => $"(name = 'pageview' AND match(pathname, {ClickHouseSql.String("^(?:" + GoalPattern.ToRegex(path) + ")$")}))",
        { EventName: { } eventName } => $"(name = {ClickHouseSql.String(eventName)})",
        { Goal: { } goal } => SingleGoalMatch(goal),
        _ => "0",
    };

    // A property the event lacks reads as '' (indexOf answers 0, the default element), which no goal's value (1+ characters) equals.
    public static string SingleGoalMatch(Goal goal) => goal.ScrollThreshold is { } threshold
        ? $"(name = 'engagement' AND match(pathname, {ClickHouseSql.String("^(?:" + GoalPattern.ToRegex(goal.PagePath!) + ")$")}) AND ifNull(scroll_depth, 0) >= {threshold})"
        : (goal.EventName is { } eventName
        ? $"(name = {ClickHouseSql.String(eventName)}{(goal.Currency is { } currency ? $" AND (revenue_currency = {ClickHouseSql.String(currency)} OR isNull(revenue_micros))" : "")}"
        : $"(name = 'pageview' AND match(pathname, {ClickHouseSql.String("^(?:" + GoalPattern.ToRegex(goal.PagePath!) + ")$")})")
        + string.Concat(goal.CustomProps.Select(p => $" AND prop_values[indexOf(prop_keys, {ClickHouseSql.String(p.Key)})] = {ClickHouseSql.String(p.Value)}")) + ")";

    string DimensionExpression(Dimension dimension) => dimension.Kind switch
    {
        DimensionKind.Visit or DimensionKind.Event => $"if({dimension.Column} = '', '(none)', {dimension.Column})",
        DimensionKind.Goal => "goal",
        DimensionKind.Property => $"if(indexOf(prop_keys, {ClickHouseSql.String(dimension.PropertyKey!)}) = 0, '(none)', {Property(dimension)})",
        DimensionKind.Time => Bucket("ts_us", dimension),
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    static string Property(Dimension dimension) => $"prop_values[indexOf(prop_keys, {ClickHouseSql.String(dimension.PropertyKey!)})]";

    string Bucket(string micros, Dimension dimension) => TimeBucket(micros, dimension.Grain ?? TimeBuckets.Auto(query.Range), query.TimeZone);

    /// <summary>The label of the bucket (local to the zone) a microsecond timestamp falls in, as the embedded store labels it.</summary>
    public static string TimeBucket(string micros, TimeGrain? grain, TimeZoneInfo zone)
    {
        var time = $"toDateTime(intDiv({micros}, 1000000))";
        var tz = ClickHouseSql.String(zone.Id);
        return grain switch
        {
            null => "''",
            TimeGrain.Minute => $"toString(toStartOfMinute({time}, {tz}), {tz})",
            TimeGrain.Hour => $"toString(toStartOfHour({time}, {tz}), {tz})",
            TimeGrain.Day => $"toString(toDate({time}, {tz}))",
            TimeGrain.Week => $"toString(toMonday({time}, {tz}))",
            _ => $"toString(toStartOfMonth({time}, {tz}))",
        };
    }

    string Compile(Filter filter) => filter switch
    {
        AllOf all => "(" + string.Join(" AND ", all.Filters.Select(Compile)) + ")",
        AnyOf any => "(" + string.Join(" OR ", any.Filters.Select(Compile)) + ")",
        Not not => "NOT " + Compile(not.Filter),
        VisitHasDone done => HasDone(done),
        Condition condition => CompileCondition(condition),
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    string HasDone(VisitHasDone done)
    {
        var column = $"hd{hasDone.Count}";
        hasDone.Add(Compile(done.Filter));
        return done.Negated ? $"NOT {column}" : $"({column} = 1)";
    }

    string CompileCondition(Condition condition)
    {
        if (condition.Dimension.Kind == DimensionKind.Goal) return GoalCondition(condition);
        var column = condition.Dimension.Kind == DimensionKind.Property ? Property(condition.Dimension) : condition.Dimension.Column;
        // A missing value (an absent property, an unknown country) matches nothing but "(none)", as NULL does in the embedded store.
        var present = condition.Dimension.Kind == DimensionKind.Property
            ? $"indexOf(prop_keys, {ClickHouseSql.String(condition.Dimension.PropertyKey!)}) > 0"
            : MayBeMissing.Contains(column) ? $"{column} != ''" : "1";
        string Lower(string expression) => condition.CaseSensitive ? expression : $"lowerUTF8({expression})";
        var noneSelected = condition.Values.Contains("(none)");
        var values = condition.Values.Where(v => !(noneSelected && v == "(none)")).Select(ClickHouseSql.String).ToList();
        var positive = condition.Operator switch
        {
            _ when values.Count == 0 => "0",
            FilterOperator.Is or FilterOperator.IsNot => $"({present} AND {Lower(column)} IN ({string.Join(", ", values.Select(Lower))}))",
            FilterOperator.Contains or FilterOperator.ContainsNot =>
                $"({present} AND (" + string.Join(" OR ", values.Select(v => $"position({Lower(column)}, {Lower(v)}) > 0")) + "))",
            _ => $"({present} AND (" + string.Join(" OR ", values.Select(v => $"match({column}, {(condition.CaseSensitive ? v : $"concat('(?i)', {v})")})")) + "))",
        };
        if (noneSelected) positive = $"({positive} OR NOT ({present}) OR {column} = '')";
        return condition.Operator is FilterOperator.IsNot or FilterOperator.ContainsNot or FilterOperator.MatchesNot ? $"NOT {positive}" : positive;
    }

    string GoalCondition(Condition condition)
    {
        var goals = StorePlans.GoalsMatching(condition, query.Goals);
        var positive = goals.Count == 0 ? "0" : "(" + string.Join(" OR ", goals.Select(SingleGoalMatch)) + ")";
        return StorePlans.IsNegated(condition) ? $"NOT {positive}" : positive;
    }

}
