using System.Text.Json.Nodes;
using Panorama.Core.Decisions;
using Panorama.Core.Department;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Decisions;

/// <summary>A metric per day from the stats query service (days without data count as 0), for baselines and outcomes.</summary>
public sealed class DailyMetricSource(SiteDirectory sites, GoalService goals, QueryService queries, EventBatchWriter writer, DepartmentStore department,
    TimeProvider time) : IDailyMetricSource
{
    public TimeZoneInfo ZoneOf(int? siteId) => TimeZoneInfo.FindSystemTimeZoneById(
        siteId is { } id && sites.FindById(id) is { } site ? site.TimeZone : department.Current().Model.Settings.TimeZone);

    public async Task<IReadOnlyList<double>> DailyAsync(int siteId, string metric, string? filtersJson, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var site = sites.FindById(siteId) ?? throw new DecisionRegister.WorkflowException($"Site {siteId} does not exist.");
        var body = new JsonObject
        {
            ["site_id"] = site.Domain, ["metrics"] = new JsonArray(metric), ["dimensions"] = new JsonArray("time:day"),
            ["date_range"] = new JsonArray(first.ToString("yyyy-MM-dd"), last.ToString("yyyy-MM-dd")),
            ["filters"] = filtersJson is null ? new JsonArray() : JsonNode.Parse(filtersJson), ["include"] = new JsonObject { ["time_labels"] = true },
        };
        StatsQuery query;
        try
        {
            query = QueryParser.Parse(body, site, goals.ForSite(site.Id), time.GetUtcNow());
        }
        catch (QueryParser.QueryException exception)
        {
            throw new DecisionRegister.WorkflowException(exception.Message);
        }
        await writer.WaitUntilStoredAsync(cancellationToken);
        var response = await queries.RunAsync(query, cancellationToken);
        var byDay = response.Results.ToDictionary(r => r.Dimensions[0], r => r.Metrics[0] switch
        {
            null => 0d,
            Money money => (double)money.Value,
            var value => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        });
        return (response.TimeLabels ?? byDay.Keys.Order().ToList()).Select(day => byDay.GetValueOrDefault(day)).ToList();
    }
}
