using Panorama.Core.Goals;

namespace Panorama.Core.Reports.Query;

/// <summary>What decides an event store's plan for a <see cref="StoreQuery"/>, the same for every engine.</summary>
public static class StorePlans
{
    static readonly HashSet<Metric> EventMetrics = [Metric.Visitors, Metric.Pageviews, Metric.Events, Metric.TotalRevenue, Metric.AverageRevenue];

    /// <summary>Event metrics by event, goal, property or time, filtered on events only: the events answer without visits.</summary>
    public static bool AnswerableFromEvents(StoreQuery query) =>
        query.Metrics.All(EventMetrics.Contains)
        && query.Dimensions.All(d => d.Kind is DimensionKind.Event or DimensionKind.Property or DimensionKind.Time or DimensionKind.Goal)
        && (query.Filter is null || OnlyEventConditions(query.Filter));

    /// <summary>
    /// Whether a funnel can start from the events that match a step (filtered when the filter is on events) and join
    /// only those to their visits: yes unless the filter mixes event and visit conditions or uses has_done.
    /// </summary>
    public static bool FunnelFromStepEvents(StoreQuery query) =>
        query.Filter is null || OnlyVisitConditions(query.Filter) || OnlyEventConditions(query.Filter);

    public static bool OnlyEventConditions(Filter filter) => OnlyConditions(filter, kind => kind is DimensionKind.Event or DimensionKind.Property);

    public static bool OnlyVisitConditions(Filter filter) => OnlyConditions(filter, kind => kind == DimensionKind.Visit);

    /// <summary>Conditions on <c>event:page</c> alone.</summary>
    public static bool OnlyPageConditions(Filter filter) => OnlyConditions(filter, dimension => dimension.Name == "event:page");

    static bool OnlyConditions(Filter filter, Func<DimensionKind, bool> allowed) => OnlyConditions(filter, dimension => allowed(dimension.Kind));

    static bool OnlyConditions(Filter filter, Func<Dimension, bool> allowed) => filter switch
    {
        Condition condition => allowed(condition.Dimension),
        AllOf all => all.Filters.All(f => OnlyConditions(f, allowed)),
        AnyOf any => any.Filters.All(f => OnlyConditions(f, allowed)),
        Not not => OnlyConditions(not.Filter, allowed),
        _ => false,
    };

    /// <summary>The goals an <c>event:goal</c> condition names (the positive set, before any negation).</summary>
    public static List<Goal> GoalsMatching(Condition condition, IEnumerable<Goal> goals)
    {
        var names = condition.Values;
        return goals.Where(goal => condition.Operator switch
        {
            // A goal is also found by a name it had before a rename; patterns look at its name now.
            FilterOperator.Is or FilterOperator.IsNot => names.Any(n => goal.IsCalled(n, condition.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase)),
            FilterOperator.Contains or FilterOperator.ContainsNot => names.Any(n => goal.DisplayName.Contains(n, condition.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)),
            _ => names.Any(n => System.Text.RegularExpressions.Regex.IsMatch(goal.DisplayName, n)),
        }).ToList();
    }

    /// <summary>
    /// The scroll depth goals a query needs: every one for a goal breakdown, else those its goal conditions name. Their
    /// engagement events join the rows (engagement events count nowhere else); none, and the plan is what it always was.
    /// </summary>
    public static IReadOnlyList<Goal> ScrollGoalsUsed(StoreQuery query)
    {
        var scroll = query.Goals.Where(g => g.IsScroll).ToList();
        if (scroll.Count == 0 || query.Dimensions.Any(d => d.Kind == DimensionKind.Goal)) return scroll;
        var named = new HashSet<Goal>();
        void Walk(Filter? filter)
        {
            switch (filter)
            {
                case Condition { Dimension.Kind: DimensionKind.Goal } condition: named.UnionWith(GoalsMatching(condition, scroll)); break;
                case AllOf all: foreach (var f in all.Filters) Walk(f); break;
                case AnyOf any: foreach (var f in any.Filters) Walk(f); break;
                case Not not: Walk(not.Filter); break;
                case VisitHasDone done: Walk(done.Filter); break;
            }
        }
        Walk(query.Filter);
        return [.. scroll.Where(named.Contains)];
    }

    public static bool IsNegated(Condition condition) => condition.Operator is FilterOperator.IsNot or FilterOperator.ContainsNot or FilterOperator.MatchesNot;
}
