using Panorama.Core.Goals;
using Panorama.Core.Sites;

namespace Panorama.Web.Pages.Shared;

/// <summary>What the dashboard needs to render: the site, whether it is seen through a shared link, its goals, saved funnels and segments.</summary>
public sealed record DashboardView(Site Site, string? ShareToken, bool CanEdit, IReadOnlyList<Goal> Goals, IReadOnlyList<SavedView> Funnels, IReadOnlyList<SavedView> Segments);
