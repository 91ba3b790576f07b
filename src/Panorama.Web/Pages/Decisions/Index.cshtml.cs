using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;
using Panorama.Core.Decisions;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;
using Panorama.Web.Localization;

namespace Panorama.Web.Pages.Decisions;

/// <summary>The register of decisions: the list, the share taken with marketing per quarter, and a proposal form.</summary>
public sealed class IndexModel(DecisionRegister register, SiteAccess access, Texts texts) : SignedInPage
{
    public IReadOnlyList<Decision> Decisions { get; private set; } = [];
    public IReadOnlyList<(string Quarter, int Total, int WithMarketing)> Participation { get; private set; } = [];
    public IReadOnlyList<Site> Sites { get; private set; } = [];
    public static IEnumerable<string> Metrics => MetricNames.All.Where(m => m is not ("percentage" or "group_conversion_rate" or "scroll_depth" or "time_on_page"));

    public string SiteName(int? id) => id is null ? "" : Sites.FirstOrDefault(s => s.Id == id)?.Domain ?? "";

    public void OnGet() => Load();

    public async Task<IActionResult> OnPostAsync(string? title, string? description, string? area, Importance importance, int? siteId, string? metric,
        string? filters, string? control, string? direction, decimal? expectedChange, string? options, string? benefits, string? risks, decimal? cost, bool withoutMarketing,
        CancellationToken cancellationToken)
    {
        Load();
        if (siteId is { } id && Sites.All(s => s.Id != id)) return NotFound();
        var metrics = new List<DecisionMetric>();
        if (!string.IsNullOrWhiteSpace(metric))
        {
            if (!Metrics.Contains(metric)) ModelState.AddModelError("", texts.Format("'{0}' is not a metric.", metric));
            else metrics.Add(new DecisionMetric(metric, string.IsNullOrWhiteSpace(filters) ? null : filters.Trim(), direction == "decrease" ? "decrease" : "increase", expectedChange,
                ControlFiltersJson: string.IsNullOrWhiteSpace(control) ? null : control.Trim()));
        }
        if (string.IsNullOrWhiteSpace(title)) ModelState.AddModelError("", texts["A decision needs a title."]);
        if (!ModelState.IsValid) return Page();
        try
        {
            var decision = await register.ProposeAsync(new Decision
            {
                Title = title!.Trim(), Description = description ?? "", Area = area ?? "", Importance = importance, ProposedBy = User.Identity?.Name ?? UserId,
                Options = options ?? "", ExpectedBenefits = benefits ?? "", ConsequencesAndRisks = risks ?? "", Cost = cost, SiteId = siteId,
                WithoutMarketing = withoutMarketing,
            }, metrics, cancellationToken);
            return Redirect($"/decisions/{decision.Id}");
        }
        catch (DecisionRegister.WorkflowException exception)
        {
            ModelState.AddModelError("", texts.Message(exception.Message));
            return Page();
        }
    }

    void Load()
    {
        Decisions = register.All();
        Participation = register.ParticipationByQuarter();
        Sites = access.SitesOf(UserId).Select(s => s.Site).ToList();
    }
}
