using System.Globalization;
using System.Security.Claims;
using System.Text;
using Panorama.Core.Access;
using Panorama.Core.Accounts;
using Panorama.Core.Department;
using Panorama.Web.Ingestion;

namespace Panorama.Web.Department;

/// <summary>
/// The department API: the whole model (<c>GET|PUT /api/department</c>, YAML or JSON), the structure health report
/// (<c>/api/department/health</c>, JSON or CSV), KPI progress and the audit log. Anyone with an account reads; changes
/// need an API key for every site (the owner's), or go through the web interface's forms.
/// </summary>
public static class DepartmentEndpoints
{
    public static IEndpointRouteBuilder MapDepartment(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/department").RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Department");
        group.MapGet("", GetModel).WithSummary("The department model as YAML (default) or ?format=json");
        group.MapPut("", PutModel).WithSummary("Replace the department model (YAML or JSON body); all or nothing");
        group.MapGet("/health", GetHealth).WithSummary("Structure health findings; ?format=csv");
        group.MapGet("/kpis", GetKpis).WithSummary("The current strategy's KPIs with value, progress and expected value");
        group.MapGet("/audit", GetAudit).WithSummary("Revisions: who, when, and each entity before and after");
        return app;
    }

    /// <summary>Who is asking: a key for every site, or a signed-in person with a role somewhere; null when neither.</summary>
    static string? Reader(HttpContext http, ApiKeyService keys, SiteAccess access)
    {
        if (BearerToken.From(http.Request) is { } token)
            return keys.Verify(token) is { SiteScope: "" } key ? "key " + key.Name : null;
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is not null && (access.IsOwner(userId) || access.SitesOf(userId).Count > 0) ? http.User.Identity?.Name ?? userId : null;
    }

    static IResult Denied(HttpContext http) => BearerToken.From(http.Request) is null && http.User.Identity?.IsAuthenticated != true
        ? Problems.Unauthorized("Sign in, or send an API key for every site as 'Authorization: Bearer KEY'.")
        : Problems.Forbidden("This account or key cannot read the department.");

    static IResult GetModel(HttpContext http, ApiKeyService keys, SiteAccess access, DepartmentStore store, string? format)
    {
        if (Reader(http, keys, access) is null) return Denied(http);
        var json = format == "json";
        return Results.Text(DepartmentDocument.Write(store.Current().Model, json), json ? "application/json; charset=utf-8" : "application/yaml; charset=utf-8");
    }

    static async Task<IResult> PutModel(HttpContext http, ApiKeyService keys, DepartmentStore store)
    {
        // Changes through the API need the owner's kind of key; the web interface changes the model through its own form.
        if (BearerToken.From(http.Request) is not { } token || keys.Verify(token) is not { SiteScope: "" } key)
            return Problems.Unauthorized("Changing the department needs an API key for every site: send it as 'Authorization: Bearer KEY'.");
        if (http.Request.ContentLength > 2_000_000) return Problems.Of(StatusCodes.Status413PayloadTooLarge, "Too large", "The model may be at most 2 MB.");
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        try
        {
            var revision = store.Save(text, "key " + key.Name, http.Request.Headers["X-Panorama-Note"].ToString());
            return Results.Ok(new { revision = revision.Id, saved_at = revision.SavedAt });
        }
        catch (DepartmentDocumentException exception)
        {
            return Results.Problem(statusCode: 400, title: "Invalid department model", detail: exception.Errors[0],
                extensions: new Dictionary<string, object?> { ["errors"] = exception.Errors });
        }
    }

    static IResult GetHealth(HttpContext http, ApiKeyService keys, SiteAccess access, DepartmentStore store, KpiEvaluator kpis, string? format)
    {
        if (Reader(http, keys, access) is null) return Denied(http);
        var model = store.Current().Model;
        var findings = StructureHealth.Check(model, kpis.Today(model));
        if (format == "csv") return Results.Text(HealthCsv(findings), "text/csv; charset=utf-8");
        return Results.Ok(new
        {
            date = kpis.Today(model),
            findings = findings.Select(f => new
            {
                rule = f.Rule, code = f.Code, severity = f.Severity.ToString().ToLowerInvariant(), message = f.Message,
                people = f.People, functions = f.Functions, units = f.Units, money_per_month = f.MoneyPerMonth,
            }),
        });
    }

    public static string HealthCsv(IReadOnlyList<Finding> findings)
    {
        static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var csv = new StringBuilder("rule,code,severity,message,people,functions,units,money_per_month\n");
        foreach (var f in findings)
            csv.Append(CultureInfo.InvariantCulture, $"{f.Rule},{f.Code},{f.Severity.ToString().ToLowerInvariant()},{Quote(f.Message)},{Quote(string.Join(' ', f.People))},{Quote(string.Join(' ', f.Functions))},{Quote(string.Join(' ', f.Units))},{f.MoneyPerMonth}\n");
        return csv.ToString();
    }

    static async Task<IResult> GetKpis(HttpContext http, ApiKeyService keys, SiteAccess access, DepartmentStore store, KpiEvaluator kpis)
    {
        if (Reader(http, keys, access) is null) return Denied(http);
        var model = store.Current().Model;
        var statuses = await kpis.EvaluateAsync(model, http.RequestAborted);
        return Results.Ok(new
        {
            date = kpis.Today(model),
            kpis = statuses.Select(s => new
            {
                objective = s.Objective.Id, id = s.Status.Kpi.Id, name = s.Status.Kpi.Name, target = s.Status.Kpi.Target,
                direction = s.Status.Kpi.Direction.ToString(), value = s.Status.Value, progress = s.Status.Progress,
                expected = s.Status.Expected, on_track = s.Status.OnTrack, error = s.Status.Error,
            }),
        });
    }

    static IResult GetAudit(HttpContext http, ApiKeyService keys, SiteAccess access, DepartmentStore store)
    {
        if (Reader(http, keys, access) is null) return Denied(http);
        return Results.Ok(new
        {
            revisions = store.History().Select(h => new
            {
                id = h.Revision.Id, saved_at = h.Revision.SavedAt, saved_by = h.Revision.SavedBy, note = h.Revision.Note,
                changes = h.Changes.Select(c => new { kind = c.Kind, id = c.Id, before = c.Before, after = c.After }),
            }),
        });
    }
}
