using System.Text.Json.Nodes;
using Panorama.Core.Department;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Department;

/// <summary>Measures the current strategy's KPIs: analytics KPIs live through the same query service as the Stats API, manual ones from check-ins.</summary>
public sealed class KpiEvaluator(SiteDirectory sites, GoalService goals, QueryService queries, EventBatchWriter writer, TimeProvider time)
{
    /// <summary>Today in the department's time zone: KPI periods, people's dates and budgets are its days.</summary>
    public DateOnly Today(DepartmentModel model) => model.TodayAt(time.GetUtcNow());

    public async Task<IReadOnlyList<(Objective Objective, KpiStatus Status)>> EvaluateAsync(DepartmentModel model, CancellationToken cancellationToken)
    {
        var today = Today(model);
        var results = new List<(Objective, KpiStatus)>();
        if (model.CurrentStrategy(today) is not { } strategy) return results;
        await writer.WaitUntilStoredAsync(cancellationToken);
        foreach (var objective in strategy.Objectives)
            foreach (var kpi in objective.Kpis)
                results.Add((objective, await EvaluateAsync(kpi, today, cancellationToken)));
        return results;
    }

    async Task<KpiStatus> EvaluateAsync(Kpi kpi, DateOnly today, CancellationToken cancellationToken)
    {
        if (!kpi.IsAnalytics) return KpiStatus.Of(kpi, KpiStatus.ManualValue(kpi, today), today);
        if (today < kpi.PeriodFrom) return KpiStatus.Of(kpi, null, today);
        var domain = SiteDomain.Normalize(kpi.Site);
        if (domain is null || sites.FindByDomain(domain) is not { } site) return new KpiStatus(kpi, null, null, null, null, $"Site '{kpi.Site}' is not registered.");
        var last = kpi.PeriodTo < today ? kpi.PeriodTo : today;
        var body = new JsonObject
        {
            ["site_id"] = site.Domain,
            ["metrics"] = new JsonArray(kpi.Metric),
            ["date_range"] = new JsonArray(kpi.PeriodFrom.ToString("yyyy-MM-dd"), last.ToString("yyyy-MM-dd")),
            ["filters"] = kpi.FiltersJson is null ? new JsonArray() : JsonNode.Parse(kpi.FiltersJson),
        };
        try
        {
            var query = QueryParser.Parse(body, site, goals.ForSite(site.Id), time.GetUtcNow());
            var response = await queries.RunAsync(query, cancellationToken);
            var value = response.Results.FirstOrDefault()?.Metrics[0] switch
            {
                null => 0m,
                Money money => money.Value,
                var number => Convert.ToDecimal(number, System.Globalization.CultureInfo.InvariantCulture),
            };
            return KpiStatus.Of(kpi, value, today);
        }
        catch (QueryParser.QueryException exception)
        {
            return new KpiStatus(kpi, null, null, null, null, exception.Message);
        }
    }
}
