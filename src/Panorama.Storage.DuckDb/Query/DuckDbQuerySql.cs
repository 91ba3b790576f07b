using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Panorama.Core.Goals;
using Panorama.Core.Reports.Query;

namespace Panorama.Storage.DuckDb.Query;

/// <summary>
/// Builds the SQL of one <see cref="StoreQuery"/>. Visits are cut from each visitor's events at query time
/// (README, "What the numbers mean"); every event row then carries its visit's attributes (<c>v_*</c>), so
/// filters on events and on visits combine freely. Values always travel as parameters; column names come
/// from <see cref="Dimension"/>'s fixed catalogue.
/// </summary>
sealed class DuckDbQuerySql
{

    readonly StoreQuery query;
    readonly List<DuckDBParameter> parameters = [];
    readonly List<string> hasDoneColumns = [];
    readonly List<string> dimensionExpressions = [];
    // Visit attributes a query reads; only these are carried through the visit computation.
    readonly SortedSet<string> usedVisitColumns = new(StringComparer.Ordinal);

    // Scroll depth goals the query uses (StorePlans.ScrollGoalsUsed, and a funnel's steps): their engagement events are rows too.
    readonly List<Goal> scrollGoals;

    public DuckDbQuerySql(StoreQuery query)
    {
        this.query = query;
        scrollGoals = [.. StorePlans.ScrollGoalsUsed(query)];
    }

    // Every engagement event is a row: page engagement under a filter (BuildPageEngagement).
    bool allEngagement;

    /// <summary>The visits an event of the period (or a day after) may belong to: started up to two days before it.</summary>
    const string VisitsAround = "v_started >= $from - INTERVAL 48 HOUR AND v_started < $to + INTERVAL 24 HOUR";

    /// <summary>
    /// Which events are rows: all but engagement events, except those that reach a scroll depth goal the query uses. Page
    /// engagement reads engagement events alone, unless a "has done" condition looks at the rest of their visits.
    /// </summary>
    string Counted() => allEngagement ? (hasDoneColumns.Count == 0 ? "name = 'engagement'" : "TRUE") : scrollGoals.Count == 0
        ? "name <> 'engagement'"
        : $"(name <> 'engagement' OR {string.Join(" OR ", scrollGoals.Select(SingleGoalMatch))})";

    public IReadOnlyList<DuckDBParameter> Parameters => parameters;

    public string Build()
    {
        if (AnswerableFromVisits()) return BuildFromVisits();
        if (StorePlans.AnswerableFromEvents(query)) return BuildFromEvents();
        if (query.Filter is null && (query.Dimensions.Count == 0 || query.Dimensions is [{ Kind: DimensionKind.Time }])) return BuildTotalsOrTimeSeries();
        var sql = new StringBuilder(CommonTableExpressions());
        AppendAggregation(sql);
        return sql.ToString();
    }

    static readonly HashSet<Metric> VisitMetrics = [Metric.Visitors, Metric.Visits, Metric.BounceRate, Metric.VisitDuration, Metric.ViewsPerVisit];

    /// <summary>
    /// Visit dimensions and filters with visit metrics only: the visits table answers alone. A visit overlaps a
    /// period of 30 minutes or more only if one of its events falls in it (gaps are shorter), so visitors are
    /// the visitors of the overlapping visits.
    /// </summary>
    bool AnswerableFromVisits() =>
        query.Metrics.All(VisitMetrics.Contains)
        && query.Dimensions.All(d => d.Kind == DimensionKind.Visit)
        && (query.Filter is null || StorePlans.OnlyVisitConditions(query.Filter))
        && query.Range.To - query.Range.From >= TimeSpan.FromMinutes(30);

    /// <summary>
    /// The event aggregates a query asks for (in its metrics or its order); the rest are constants, since each
    /// unused aggregate still costs a pass over every row (pages at 30 days: 114 -> 80 ms).
    /// </summary>
    string EventAggregates()
    {
        var revenue = Wanted(Metric.TotalRevenue) || Wanted(Metric.AverageRevenue);
        return $"""
            count(DISTINCT visitor_id) AS visitors,
            {(Wanted(Metric.Pageviews) ? "count(*) FILTER (WHERE name = 'pageview')::BIGINT" : "0::BIGINT")} AS pageviews,
            {(Wanted(Metric.Events) ? "count(*)::BIGINT" : "0::BIGINT")} AS events,
            {(revenue ? "sum(revenue_amount)" : "NULL::DECIMAL(38, 6)")} AS total_revenue,
            {(revenue ? "avg(revenue_amount)::DOUBLE" : "NULL::DOUBLE")} AS average_revenue,
            {(revenue ? "min(revenue_currency) FILTER (WHERE revenue_amount IS NOT NULL)" : "NULL::VARCHAR")} AS currency_low,
            {(revenue ? "max(revenue_currency) FILTER (WHERE revenue_amount IS NOT NULL)" : "NULL::VARCHAR")} AS currency_high
            """;
    }

    /// <summary>Whether the query asks for <paramref name="metric"/>, in its metrics or its order.</summary>
    bool Wanted(Metric metric) => query.Metrics.Contains(metric)
        || query.OrderBy?.Any(o => MetricNames.TryParse(o.Key, out var m) && m == metric) == true;

    string BuildFromEvents()
    {
        BindRange();
        var filter = query.Filter is null ? "TRUE" : Compile(query.Filter);
        var dims = query.Dimensions.Select((dimension, i) => $"{DimensionExpression(dimension)} AS d{i}").ToList();
        var dimNames = Enumerable.Range(0, dims.Count).Select(i => $"d{i}").ToList();
        var source = "events";
        if (query.Dimensions.Any(d => d.Kind == DimensionKind.Goal))
            source = query.Goals.Count == 0
                ? "(SELECT *, NULL::VARCHAR AS goal FROM events WHERE FALSE)"
                : "(" + string.Join("\n    UNION ALL\n    ", query.Goals.Select(goal =>
                    $"SELECT *, {Parameter("g", goal.DisplayName)}::VARCHAR AS goal FROM events WHERE site_id = $site AND ts >= $from AND ts < $to AND {SingleGoalMatch(goal)}")) + ")";
        return Finish($"""
            WITH grouped AS (
                SELECT {string.Concat(dims.Select(d => d + ", "))}
                       {EventAggregates()},
                       0::BIGINT AS visits, 0.0::DOUBLE AS views_per_visit, 0.0::DOUBLE AS bounce_rate, 0::BIGINT AS visit_duration
                FROM {source}
                WHERE site_id = $site AND {Counted()} AND ts >= $from AND ts < $to AND ({filter})
                {(dimNames.Count > 0 ? "GROUP BY " + string.Join(", ", dimNames) : "")}
            )
            """, dimNames);
    }

    /// <summary>
    /// Visitors, pageviews or events by page, filtered on the page alone: whole UTC days before the page days'
    /// horizon can be read from <c>page_days</c> (<see cref="BuildPagesFromDays"/>).
    /// </summary>
    public static bool PagesFromDays(StoreQuery query) =>
        query.Dimensions is [{ Kind: DimensionKind.Event, Column: "pathname" }]
        && query.Metrics.All(m => m is Metric.Visitors or Metric.Pageviews or Metric.Events)
        && query.OrderBy?.All(o => o.Key is "event:page" or "visitors" or "pageviews" or "events") != false
        && (query.Filter is null || StorePlans.OnlyPageConditions(query.Filter));

    /// <summary>
    /// A page breakdown from the page days for the whole UTC days of the period before <paramref name="horizon"/>, and
    /// from the events for the hours around them, which the first statement gathers into a temp table (so DuckDB
    /// knows they are few). A (page, visitor) pair counts once: on its first day in the period among the page days,
    /// or among the edge hours' pairs unless the page days hold it too. Null when the period holds no such day.
    /// </summary>
    public (string Edges, string Pages)? BuildPagesFromDays(DateTime horizon)
    {
        var (from, to) = (query.Range.From, query.Range.To);
        var first = from == from.Date ? from : from.Date.AddDays(1);
        var end = to.Date < horizon ? to.Date : horizon;
        if (end <= first) return null;
        BindRange();
        var a = Parameter("a", first);
        var b = Parameter("b", end);
        var filter = query.Filter is null ? "TRUE" : Compile(query.Filter);
        var page = DimensionExpression(query.Dimensions[0]);
        var edges = $"""
            CREATE OR REPLACE TEMP TABLE page_edges AS
                SELECT {page} AS page, visitor_id, count(*) FILTER (WHERE name = 'pageview') AS pageviews, count(*) AS events
                FROM events
                WHERE site_id = $site AND name <> 'engagement' AND ((ts >= $from AND ts < {a}) OR (ts >= {b} AND ts < $to)) AND ({filter})
                GROUP BY ALL
            """;
        var pages = Finish($"""
            WITH days AS NOT MATERIALIZED (
                SELECT {page} AS page, visitor_id, pageviews, events, prev_day
                FROM page_days
                WHERE site_id = $site AND day >= {a}::DATE AND day < {b}::DATE AND ({filter})
            ),
            parts AS (
                SELECT page, count(*) FILTER (WHERE prev_day IS NULL OR prev_day < {a}::DATE) AS visitors, sum(pageviews) AS pageviews, sum(events) AS events
                FROM days GROUP BY page
                UNION ALL
                SELECT page, count(*), sum(pageviews), sum(events) FROM page_edges GROUP BY page
                UNION ALL
                SELECT page, -count(DISTINCT visitor_id), 0, 0
                FROM (SELECT page, visitor_id FROM days WHERE visitor_id IN (SELECT visitor_id FROM page_edges)) SEMI JOIN page_edges USING (page, visitor_id)
                GROUP BY page
            ),
            grouped AS (
                SELECT page AS d0, sum(visitors)::BIGINT AS visitors, sum(pageviews)::BIGINT AS pageviews, sum(events)::BIGINT AS events,
                       NULL::DECIMAL(38, 6) AS total_revenue, NULL::DOUBLE AS average_revenue, NULL::VARCHAR AS currency_low, NULL::VARCHAR AS currency_high,
                       0::BIGINT AS visits, 0.0::DOUBLE AS views_per_visit, 0.0::DOUBLE AS bounce_rate, 0::BIGINT AS visit_duration
                FROM parts GROUP BY page
            )
            """, ["d0"]);
        return (edges, pages);
    }

    /// <summary>Unfiltered totals or time series: event metrics from the events, visit metrics from the visits, joined by time bucket.</summary>
    string BuildTotalsOrTimeSeries()
    {
        BindRange();
        var time = query.Dimensions.Count == 1 ? query.Dimensions[0] : null;
        var eventBucket = time is null ? "" : TimeBucket(time, "ts") + " AS d0, ";
        var visitBucket = time is null ? "" : TimeBucket(time, "v_started") + " AS d0, ";
        var groupBy = time is null ? "" : "GROUP BY d0";
        var join = time is null ? "e CROSS JOIN v" : "e FULL OUTER JOIN v ON e.d0 = v.d0";
        return Finish($"""
            WITH e AS (
                SELECT {eventBucket}{EventAggregates()}
                FROM events
                WHERE site_id = $site AND name <> 'engagement' AND ts >= $from AND ts < $to
                {groupBy}
            ),
            v AS (
                SELECT {visitBucket}
                       count(*) AS visits,
                       round(sum(v_pageviews) / count(*), 2) AS views_per_visit,
                       round(100 * avg(v_bounce)) AS bounce_rate,
                       round(avg(v_duration))::BIGINT AS visit_duration
                FROM visits
                WHERE site_id = $site AND v_started >= $from AND v_started < $to
                {groupBy}
            ),
            grouped AS (
                SELECT {(time is null ? "" : "coalesce(e.d0, v.d0) AS d0, ")}
                       coalesce(e.visitors, 0) AS visitors, coalesce(v.visits, 0) AS visits,
                       coalesce(e.pageviews, 0) AS pageviews, coalesce(e.events, 0) AS events,
                       coalesce(v.views_per_visit, 0) AS views_per_visit, coalesce(v.bounce_rate, 0) AS bounce_rate,
                       coalesce(v.visit_duration, 0) AS visit_duration,
                       e.total_revenue, e.average_revenue, e.currency_low, e.currency_high
                FROM {join}
            )
            """, time is null ? [] : ["d0"]);
    }

    /// <summary>The common tail: drop empty rows, count them, order and paginate.</summary>
    string Finish(string grouped, List<string> dimNames)
    {
        var sql = new StringBuilder(grouped);
        sql.Append($"""
            SELECT *, count(*) OVER () AS total_rows FROM grouped
            WHERE visitors > 0 OR visits > 0
            {OrderBy(dimNames)}
            """);
        if (query.Limit is { } limit)
        {
            Parameter("limit", limit);
            Parameter("offset", query.Offset);
            sql.Append("\nLIMIT $limit OFFSET $offset");
        }
        return sql.ToString();
    }

    string BuildFromVisits()
    {
        BindRange();
        var filter = query.Filter is null ? "TRUE" : Compile(query.Filter);
        var dims = query.Dimensions.Select((dimension, i) => $"{DimensionExpression(dimension)} AS d{i}").ToList();
        var dimNames = Enumerable.Range(0, dims.Count).Select(i => $"d{i}").ToList();
        const string started = "v_started >= $from";
        return Finish($"""
            WITH grouped AS (
                SELECT {string.Concat(dims.Select(d => d + ", "))}
                       count(DISTINCT visitor_id) AS visitors,
                       count(*) FILTER (WHERE {started}) AS visits,
                       0::BIGINT AS pageviews,
                       0::BIGINT AS events,
                       coalesce(round(sum(v_pageviews) FILTER (WHERE {started}) / nullif(count(*) FILTER (WHERE {started}), 0), 2), 0) AS views_per_visit,
                       coalesce(round(100 * avg(v_bounce) FILTER (WHERE {started})), 0) AS bounce_rate,
                       coalesce(round(avg(v_duration) FILTER (WHERE {started})), 0)::BIGINT AS visit_duration,
                       NULL::DECIMAL(38, 6) AS total_revenue,
                       NULL::DOUBLE AS average_revenue,
                       NULL::VARCHAR AS currency_low,
                       NULL::VARCHAR AS currency_high
                FROM visits
                WHERE site_id = $site AND v_started < $to AND v_ended >= $from AND v_started >= $from - INTERVAL 24 HOUR
                  AND ({filter})
                {(dimNames.Count > 0 ? "GROUP BY " + string.Join(", ", dimNames) : "")}
            )
            """, dimNames);
    }

    /// <summary>
    /// One row: for each step, the visitors whose best visit (started in the range, passing the filter) reached it.
    /// Each visit's step masks are sorted by (ts, seq) and folded: a mask advances the visit past every consecutive
    /// step it matches from where the visit stands — the trailing ones of <c>mask &gt;&gt; reached</c>
    /// (<see cref="FunnelCalculator.StepsReached"/>). Sorting a list of tuples costs a third of
    /// <c>list(mask ORDER BY ts, seq)</c>.
    /// </summary>
    public string BuildFunnel(IReadOnlyList<FunnelStep> steps)
    {
        scrollGoals.AddRange(steps.Select(s => s.Goal).OfType<Goal>().Where(g => g.IsScroll && !scrollGoals.Contains(g)));
        var mask = string.Join(" + ", steps.Select((step, i) => $"CASE WHEN {StepMatch(step)} THEN {1L << i} ELSE 0 END"));
        var visits = StorePlans.FunnelFromStepEvents(query) ? FunnelStepEvents(mask) : FunnelFilteredEvents(mask);
        return $"""
            {visits},
            reached AS (
                SELECT visitor_id, {FoldStepMasks("list_transform(list_sort(list((ts, seq, mask))), x -> x[3])")} AS reached
                FROM step_events
                GROUP BY visitor_id, v_started
            ),
            best AS (SELECT visitor_id, max(reached) AS reached FROM reached GROUP BY visitor_id)
            SELECT {string.Join(", ", steps.Select((_, i) => $"count(*) FILTER (WHERE reached > {i})"))} FROM best
            """;
    }

    /// <summary>How many steps a visit reached, from its list of step masks in event order.</summary>
    internal static string FoldStepMasks(string masks) => $"list_reduce({masks}, (r, m) -> r + bit_count((m >> r) & ~((m >> r) + 1)), 0::BIGINT)";

    /// <summary>With filters on events and visits together, every event of the period joins its visit first, then the step events are kept.</summary>
    string FunnelFilteredEvents(string mask) => CommonTableExpressions() + $"""
        step_events AS (
            SELECT * FROM (
                SELECT visitor_id, v_started, ts, seq, ({mask}) AS mask
                FROM filtered
                WHERE v_started >= $from AND v_started < $to
            ) WHERE mask > 0
        )
        """;

    /// <summary>
    /// With filters on visits only, or on events only, only the events that match a step (and the filter) matter:
    /// pick them first, then find the visit holding each (a visitor's visits never overlap) — instead of joining every
    /// event of the period to its visit.
    /// </summary>
    string FunnelStepEvents(string mask)
    {
        BindRange();
        var onEvents = query.Filter is not null && StorePlans.OnlyEventConditions(query.Filter);
        var filter = query.Filter is null ? "TRUE" : Compile(query.Filter);
        var engagementSteps = scrollGoals.Count > 0;
        var visitCondition = $"v_started >= $from AND v_started < $to AND ({(onEvents ? "TRUE" : filter)})";
        return $"""
            WITH steps AS (
                SELECT * FROM (
                    SELECT visitor_id, ts, seq, ({mask}) AS mask FROM events
                    WHERE site_id = $site AND {Counted()} AND ts >= $from AND ts < $to + INTERVAL 24 HOUR
                      AND ({(onEvents ? filter : "TRUE")})
                ) WHERE mask > 0
            ),
            -- A visitor who never did the first step reaches nothing: leaving them out early halves a 90-day funnel.
            starters AS (SELECT DISTINCT visitor_id FROM steps WHERE mask & 1 <> 0),
            step_visits AS (
                SELECT * FROM visits SEMI JOIN starters USING (visitor_id)
                WHERE site_id = $site AND {(engagementSteps ? VisitsAround : visitCondition)}
            ),
            step_events AS (
                SELECT s.visitor_id, v.v_started, s.ts, s.seq, s.mask
                FROM (SELECT * FROM steps SEMI JOIN starters USING (visitor_id)) s
                {(engagementSteps
                    // An engagement event may come after its visit's last event: the visit that started last before it is its own.
                    ? $"ASOF JOIN step_visits v ON s.visitor_id = v.visitor_id AND s.ts >= v.v_started WHERE {visitCondition}"
                    : "JOIN step_visits v ON s.visitor_id = v.visitor_id AND s.ts BETWEEN v.v_started AND v.v_ended")}
            )
            """;
    }

    /// <summary>Conversions of one goal in the range, each with the lists of its visitor's earlier visits within the lookback.</summary>
    public string BuildConversionPaths(Goal goal, TimeSpan lookback)
    {
        BindRange();
        parameters.Add(new DuckDBParameter("lookback", (long)lookback.TotalSeconds));
        return $"""
            WITH conversions AS (
                SELECT visitor_id, ts, seq, coalesce(revenue_amount, 0) AS revenue FROM events
                WHERE site_id = $site AND ts >= $from AND ts < $to AND {SingleGoalMatch(goal)}
            )
            SELECT c.ts, c.revenue,
                   list(v.v_started ORDER BY v.v_started), list(v.v_channel ORDER BY v.v_started),
                   list(coalesce(v.v_utm_campaign, '(none)') ORDER BY v.v_started)
            FROM conversions c
            JOIN visits v ON v.site_id = $site AND v.visitor_id = c.visitor_id
                AND v.v_started <= c.ts AND v.v_started >= c.ts - to_seconds($lookback)
            GROUP BY c.seq, c.ts, c.revenue
            ORDER BY c.ts, c.seq
            """;
    }

    string StepMatch(FunnelStep step) => step switch
    {
        { PagePath: { } path } => $"(name = 'pageview' AND regexp_full_match(pathname, {Parameter("s", GoalPattern.ToRegex(path))}))",
        { EventName: { } eventName } => $"(name = {Parameter("s", eventName)})",
        { Goal: { } goal } => SingleGoalMatch(goal),
        _ => "FALSE",
    };

    string CommonTableExpressions()
    {
        BindRange();

        var goalDimension = query.Dimensions.Any(d => d.Kind == DimensionKind.Goal);
        // Rows of an event dimension are made of the period's events; rows of visit dimensions (and the totals)
        // also take in the later events of visits that start in the period.
        var scope = query.Dimensions.Any(d => d.Kind is DimensionKind.Event or DimensionKind.Goal or DimensionKind.Property)
            ? "ts >= $from AND ts < $to"
            : "(ts >= $from AND ts < $to OR v_started >= $from AND v_started < $to)";
        var filter = query.Filter is null ? "TRUE" : Compile(query.Filter);
        foreach (var dimension in query.Dimensions) dimensionExpressions.Add(DimensionExpression(dimension));

        var visitColumns = usedVisitColumns.ToList();
        string Carried(Func<string, string> format) => string.Concat(visitColumns.Select(c => ", " + format(c)));
        var sql = new StringBuilder();
        // A filter on visits alone picks the visits first; a filter on events alone, the events. Then each event is
        // joined to its own visit: it lies within that visit's first and last event (a visitor's visits never overlap).
        // Otherwise every event is joined to the visit of the same visitor that started last at or before it.
        var visitsOnly = query.Filter is not null && StorePlans.OnlyVisitConditions(query.Filter);
        var eventsOnly = query.Filter is not null && StorePlans.OnlyEventConditions(query.Filter);
        const string visitWindow = "SELECT * FROM visits WHERE site_id = $site AND " + VisitsAround;
        // An engagement event comes after its page's last event, maybe after its visit's: only the ASOF join finds its visit.
        var join = (visitsOnly || eventsOnly) && scrollGoals.Count == 0 && !allEngagement
            ? $"JOIN ({visitWindow}{(visitsOnly ? $" AND ({filter})" : "")}) v ON e.visitor_id = v.visitor_id AND e.ts >= v.v_started AND e.ts <= v.v_ended"
            : $"ASOF JOIN ({visitWindow}) v ON e.visitor_id = v.visitor_id AND e.ts >= v.v_started";
        sql.Append($"""
            WITH ev AS (
                SELECT e.ts, e.seq, e.visitor_id, e.name, e.pathname, e.hostname, e.revenue_amount, e.revenue_currency,
                       e.prop_keys, e.prop_values, e.scroll_depth, e.engagement_ms,
                       v.v_started, v.v_duration, v.v_pageviews, v.v_bounce, v.v_entry_page, v.v_exit_page
                       {Carried(c => "v.v_" + c)}
                       {string.Concat(hasDoneColumns.Select(c => ", " + c))}
                FROM events e
                {join}
                WHERE e.site_id = $site AND {Counted()}
                  AND e.ts >= $from - INTERVAL 24 HOUR AND e.ts < $to + INTERVAL 24 HOUR{(eventsOnly ? $" AND ({filter})" : "")}
            ),
            """);
        if (goalDimension)
        {
            // One scan per goal, not a join on an OR condition (which DuckDB can only run as a nested loop).
            var perGoal = query.Goals.Count == 0
                ? "SELECT *, NULL::VARCHAR AS goal FROM ev WHERE FALSE"
                : string.Join("\n    UNION ALL\n    ", query.Goals.Select(goal =>
                    $"SELECT *, {Parameter("g", goal.DisplayName)}::VARCHAR AS goal FROM ev WHERE ts >= $from AND ts < $to AND {SingleGoalMatch(goal)} AND ({filter})"));
            sql.Append($"""
                filtered AS (
                    {perGoal}
                ),
                """);
        }
        else
        {
            sql.Append($"""
                filtered AS (
                    SELECT * FROM ev
                    WHERE {scope} AND ({filter})
                ),
                """);
        }
        return sql.ToString();
    }

    /// <summary>
    /// Per page, the sum and count of each visitor's deepest scroll and of their engaged milliseconds, from the engagement
    /// events of the period that pass the filter. Without a filter, or with one on pages alone, those events answer by
    /// themselves; otherwise each joins its visit (the one that started last at or before it) among every event of the
    /// period, so conditions on visits and "has done" hold as for any other row.
    /// </summary>
    public string BuildPageEngagement()
    {
        const string Sums = "SELECT pathname, coalesce(sum(depth), 0)::DOUBLE, count(depth), coalesce(sum(engaged), 0)::DOUBLE, count(engaged) FROM per_visitor GROUP BY pathname";
        if (query.Filter is null || StorePlans.OnlyPageConditions(query.Filter))
        {
            BindRange();
            return $"""
                WITH per_visitor AS (
                    SELECT pathname, visitor_id, max(scroll_depth) AS depth, sum(engagement_ms) AS engaged
                    FROM events
                    WHERE site_id = $site AND name = 'engagement' AND ts >= $from AND ts < $to AND ({(query.Filter is null ? "TRUE" : Compile(query.Filter))})
                    GROUP BY pathname, visitor_id
                )
                {Sums}
                """;
        }
        allEngagement = true;
        return CommonTableExpressions() + $"""
            per_visitor AS (
                SELECT pathname, visitor_id, max(scroll_depth) AS depth, sum(engagement_ms) AS engaged
                FROM filtered
                WHERE name = 'engagement'
                GROUP BY pathname, visitor_id
            )
            {Sums}
            """;
    }

    void AppendAggregation(StringBuilder sql)
    {
        var dimNames = Enumerable.Range(0, dimensionExpressions.Count).Select(i => $"d{i}").ToList();
        var timeIndex = query.Dimensions.ToList().FindIndex(d => d.Kind == DimensionKind.Time);
        var visitCounts = timeIndex < 0
            ? "v_started >= $from AND v_started < $to"
            : $"v_started >= $from AND v_started < $to AND {TimeBucket(query.Dimensions[timeIndex], "v_started")} = d{timeIndex}";
        // A visit's own dimensions are the same on all its events: group by the visit alone and carry them. Revenue is
        // aggregated only when asked for (each unused aggregate still costs a pass; 90-day sources by page 318 -> 202 ms).
        var visitDimensionsOnly = query.Dimensions.All(d => d.Kind == DimensionKind.Visit);
        var perVisitDims = dimensionExpressions.Select((expression, i) => visitDimensionsOnly ? $"any_value({expression}) AS d{i}" : $"{expression} AS d{i}");
        var revenue = Wanted(Metric.TotalRevenue) || Wanted(Metric.AverageRevenue);
        sql.Append($"""
            per_visit AS (
                SELECT {string.Concat(perVisitDims.Select(d => d + ", "))}visitor_id, v_started,
                       any_value(v_duration) AS duration, any_value(v_pageviews) AS visit_pageviews, any_value(v_bounce) AS bounce,
                       count(*) FILTER (WHERE ts >= $from AND ts < $to AND name = 'pageview') AS pageviews,
                       count(*) FILTER (WHERE ts >= $from AND ts < $to) AS events,
                       {(revenue ? """
                       sum(revenue_amount) FILTER (WHERE ts >= $from AND ts < $to) AS revenue,
                       count(revenue_amount) FILTER (WHERE ts >= $from AND ts < $to) AS revenue_events,
                       min(revenue_currency) FILTER (WHERE ts >= $from AND ts < $to AND revenue_amount IS NOT NULL) AS currency_low,
                       max(revenue_currency) FILTER (WHERE ts >= $from AND ts < $to AND revenue_amount IS NOT NULL) AS currency_high
                       """ : "NULL::DECIMAL(38, 6) AS revenue, 0::BIGINT AS revenue_events, NULL::VARCHAR AS currency_low, NULL::VARCHAR AS currency_high")}
                FROM filtered
                GROUP BY {string.Concat((visitDimensionsOnly ? [] : dimNames).Select(d => d + ", "))}visitor_id, v_started
            ),
            grouped AS (
                SELECT {string.Concat(dimNames.Select(d => d + ", "))}
                       count(DISTINCT visitor_id) FILTER (WHERE events > 0) AS visitors,
                       count(*) FILTER (WHERE {visitCounts}) AS visits,
                       coalesce(sum(pageviews), 0)::BIGINT AS pageviews,
                       coalesce(sum(events), 0)::BIGINT AS events,
                       coalesce(round(sum(visit_pageviews) FILTER (WHERE {visitCounts}) / nullif(count(*) FILTER (WHERE {visitCounts}), 0), 2), 0) AS views_per_visit,
                       coalesce(round(100 * avg(bounce) FILTER (WHERE {visitCounts})), 0) AS bounce_rate,
                       coalesce(round(avg(duration) FILTER (WHERE {visitCounts})), 0)::BIGINT AS visit_duration,
                       sum(revenue) AS total_revenue,
                       sum(revenue) / nullif(sum(revenue_events), 0) AS average_revenue,
                       min(currency_low) AS currency_low,
                       max(currency_high) AS currency_high
                FROM per_visit
                {(dimNames.Count > 0 ? "GROUP BY " + string.Join(", ", dimNames) : "")}
            )
            """);
        sql.Append(Finish("", dimNames));
    }

    string OrderBy(List<string> dimNames)
    {
        if (query.OrderBy is null || query.OrderBy.Count == 0) return "";
        var terms = query.OrderBy.Select(order =>
        {
            var index = query.Dimensions.ToList().FindIndex(d => d.Name == order.Key);
            var column = index >= 0 ? dimNames[index] : MetricColumn(order.Key);
            return $"{column} {(order.Descending ? "DESC" : "ASC")} NULLS LAST";
        });
        // Ties break on the dimensions so pages are stable.
        return "ORDER BY " + string.Join(", ", terms.Concat(dimNames.Select(d => d + " ASC")));
    }

    static string MetricColumn(string name) => MetricNames.TryParse(name, out var metric) && StoreQuery.StoreMetrics.Contains(metric)
        ? name
        : throw new ArgumentException($"Cannot order by '{name}' in the store.");

    string VisitColumn(Dimension dimension)
    {
        var column = dimension.Column;
        if (DuckDbSchema.VisitAttributes.Contains(column[2..])) usedVisitColumns.Add(column[2..]);
        return column;
    }

    string DimensionExpression(Dimension dimension) => dimension.Kind switch
    {
        DimensionKind.Visit => $"coalesce(nullif({VisitColumn(dimension)}, ''), '(none)')",
        DimensionKind.Event => $"coalesce(nullif({dimension.Column}, ''), '(none)')",
        DimensionKind.Goal => "goal",
        DimensionKind.Property => $"coalesce(prop_values[list_position(prop_keys, {Parameter("p", dimension.PropertyKey!)})], '(none)')",
        DimensionKind.Time => TimeBucket(dimension, "ts"),
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    /// <summary>
    /// The bucket's start as a local timestamp (the engine formats it). A zone whose offset cannot change during the
    /// period is applied as plain arithmetic, far cheaper per row than a time-zone conversion.
    /// </summary>
    string TimeBucket(Dimension dimension, string column)
    {
        var grain = dimension.Grain ?? TimeBuckets.Auto(query.Range);
        var zone = query.TimeZone;
        // No adjustment rules at all: the offset has never changed (UTC, Etc/GMT±n).
        var fixedOffset = zone.GetAdjustmentRules().Length == 0 ? zone.BaseUtcOffset : (TimeSpan?)null;
        var local = fixedOffset is { } offset
            ? $"({column} + INTERVAL {(long)offset.TotalSeconds} SECOND)"
            : $"timezone($tz, {column} AT TIME ZONE 'UTC')";
        var unit = grain switch { TimeGrain.Minute => "minute", TimeGrain.Hour => "hour", TimeGrain.Day => "day", TimeGrain.Week => "week", _ => "month" };
        return $"date_trunc('{unit}', {local})";
    }

    string Compile(Filter filter) => filter switch
    {
        AllOf all => "(" + string.Join(" AND ", all.Filters.Select(Compile)) + ")",
        AnyOf any => "(" + string.Join(" OR ", any.Filters.Select(Compile)) + ")",
        Not not => "NOT coalesce(" + Compile(not.Filter) + ", FALSE)",
        VisitHasDone hasDone => HasDone(hasDone),
        Condition condition => CompileCondition(condition),
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    string HasDone(VisitHasDone hasDone)
    {
        // Computed per visit over all of its events, before other filters narrow them.
        var column = $"hd{hasDoneColumns.Count}";
        var inner = Compile(hasDone.Filter);
        hasDoneColumns.Add($"bool_or(coalesce({inner}, FALSE)) OVER (PARTITION BY e.visitor_id, v.v_started) AS {column}");
        return hasDone.Negated ? $"NOT {column}" : column;
    }

    string CompileCondition(Condition condition)
    {
        if (condition.Dimension.Kind == DimensionKind.Goal) return GoalCondition(condition);
        var column = condition.Dimension.Kind switch
        {
            DimensionKind.Property => $"prop_values[list_position(prop_keys, {Parameter("p", condition.Dimension.PropertyKey!)})]",
            DimensionKind.Visit => VisitColumn(condition.Dimension),
            _ => condition.Dimension.Column,
        };
        string Value(string value) => Parameter("f", value);
        string Lower(string expression) => condition.CaseSensitive ? expression : $"lower({expression})";
        // "(none)" stands for a missing value: an absent property, an empty UTM tag, an unknown city.
        var noneSelected = condition.Values.Contains("(none)");
        var values = condition.Values.Where(v => !(noneSelected && v == "(none)")).ToList();
        string positive = condition.Operator switch
        {
            FilterOperator.Is or FilterOperator.IsNot => values.Count == 0 ? "FALSE" : $"{Lower(column)} IN ({string.Join(", ", values.Select(v => Lower(Value(v))))})",
            FilterOperator.Contains or FilterOperator.ContainsNot => values.Count == 0 ? "FALSE" : "(" + string.Join(" OR ", values.Select(v => $"contains({Lower(column)}, {Lower(Value(v))})")) + ")",
            _ => values.Count == 0 ? "FALSE" : "(" + string.Join(" OR ", values.Select(v => $"regexp_matches({column}, {Value(v)}{(condition.CaseSensitive ? "" : ", 'i'")})")) + ")",
        };
        if (noneSelected) positive = $"({positive} OR coalesce({column}, '') = '')";
        positive = $"coalesce({positive}, FALSE)";
        return condition.Operator is FilterOperator.IsNot or FilterOperator.ContainsNot or FilterOperator.MatchesNot ? $"NOT {positive}" : positive;
    }

    string GoalCondition(Condition condition)
    {
        var goals = StorePlans.GoalsMatching(condition, query.Goals);
        var positive = goals.Count == 0 ? "FALSE" : "(" + string.Join(" OR ", goals.Select(SingleGoalMatch)) + ")";
        return StorePlans.IsNegated(condition) ? $"NOT {positive}" : positive;
    }

    // A property the event lacks (or an event without properties) reads as NULL: coalesced, so a negated goal filter keeps the event.
    string SingleGoalMatch(Goal goal) => goal.ScrollThreshold is { } threshold
        ? $"(name = 'engagement' AND regexp_full_match(pathname, {Parameter("g", GoalPattern.ToRegex(goal.PagePath!))}) AND coalesce(scroll_depth >= {Parameter("g", threshold)}, FALSE))"
        : (goal.EventName is { } eventName
        ? $"(name = {Parameter("g", eventName)}{(goal.Currency is { } currency ? $" AND (revenue_currency = {Parameter("g", currency)} OR revenue_amount IS NULL)" : "")}"
        : $"(name = 'pageview' AND regexp_full_match(pathname, {Parameter("g", GoalPattern.ToRegex(goal.PagePath!))})")
        + string.Concat(goal.CustomProps.Select(p => $" AND coalesce(prop_values[list_position(prop_keys, {Parameter("g", p.Key)})] = {Parameter("g", p.Value)}, FALSE)")) + ")";

    /// <summary>Binds the parameters every plan uses: site, range and time zone.</summary>
    void BindRange()
    {
        Parameter("site", query.SiteId);
        Parameter("from", query.Range.From);
        Parameter("to", query.Range.To);
        Parameter("tz", query.TimeZone.Id);
    }

    string Parameter(string prefix, object? value)
    {
        var name = prefix == "site" || prefix == "from" || prefix == "to" || prefix == "tz" || prefix == "limit" || prefix == "offset"
            ? prefix
            : prefix + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add(new DuckDBParameter(name, value));
        return "$" + name;
    }
}
