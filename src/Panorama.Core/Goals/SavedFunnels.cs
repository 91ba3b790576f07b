using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Goals;

/// <summary>A site's saved funnels. Validation errors are <see cref="ArgumentException"/>s that name what is wrong.</summary>
public sealed class SavedFunnels(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    public const int MaxPerSite = 50;

    public IReadOnlyList<SavedFunnel> For(int siteId)
    {
        using var db = databases.CreateDbContext();
        return db.SavedFunnels.AsNoTracking().Where(f => f.SiteId == siteId).OrderBy(f => f.Name).ToList();
    }

    /// <summary>Saves the steps (one a line) under the name; a funnel of that name gets the new steps.</summary>
    public SavedFunnel Save(int siteId, string? name, string? steps)
    {
        var title = name?.Trim() ?? "";
        if (title.Length is 0 or > 80) throw new ArgumentException("A funnel needs a name of up to 80 characters.");
        var list = (steps ?? "").Split('\n').Select(step => step.Trim()).Where(step => step.Length > 0).ToList();
        if (list.Count is < 2 or > 8) throw new ArgumentException("A funnel has 2 to 8 steps, one a line.");
        foreach (var step in list)
        {
            if (step.StartsWith('/') ? step.Length > 2000 : step.Length > 120)
                throw new ArgumentException($"Step '{(step.Length > 40 ? step[..40] + "…" : step)}' is too long: a page path (up to 2000 characters) or an event name (up to 120).");
        }
        using var db = databases.CreateDbContext();
        var funnel = db.SavedFunnels.Where(f => f.SiteId == siteId).AsEnumerable().FirstOrDefault(f => string.Equals(f.Name, title, StringComparison.OrdinalIgnoreCase));
        if (funnel is null)
        {
            if (db.SavedFunnels.Count(f => f.SiteId == siteId) >= MaxPerSite) throw new ArgumentException($"A site has at most {MaxPerSite} saved funnels.");
            funnel = new SavedFunnel { SiteId = siteId, Name = title, Steps = "", CreatedAt = time.GetUtcNow() };
            db.SavedFunnels.Add(funnel);
        }
        funnel.Steps = string.Join('\n', list);
        db.SaveChanges();
        return funnel;
    }

    public bool Delete(int siteId, int id)
    {
        using var db = databases.CreateDbContext();
        return db.SavedFunnels.Where(f => f.SiteId == siteId && f.Id == id).ExecuteDelete() > 0;
    }
}
