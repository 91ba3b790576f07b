using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Department;

/// <summary>Saves the department model as revisions in the relational store and answers what each revision changed.</summary>
public sealed class DepartmentStore(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    /// <summary>The latest revision's model (an empty department before the first save).</summary>
    public (DepartmentModel Model, DepartmentRevision? Revision) Current()
    {
        using var db = databases.CreateDbContext();
        var revision = db.DepartmentRevisions.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefault();
        return (revision is null ? new DepartmentModel() : DepartmentDocument.Parse(revision.Document), revision);
    }

    /// <summary>Validates and saves a whole new version; throws <see cref="DepartmentDocumentException"/> and saves nothing when it is invalid.</summary>
    public DepartmentRevision Save(string text, string savedBy, string note = "")
    {
        var model = DepartmentDocument.Parse(text);
        var revision = new DepartmentRevision { Document = DepartmentDocument.Write(model), SavedAt = time.GetUtcNow(), SavedBy = savedBy, Note = note.Trim() };
        using var db = databases.CreateDbContext();
        db.DepartmentRevisions.Add(revision);
        db.SaveChanges();
        return revision;
    }

    /// <summary>The units the account heads in the current model, today (<see cref="UnitScope"/>).</summary>
    public UnitScope ScopeOf(string? accountEmail)
    {
        var model = Current().Model;
        return UnitScope.For(model, accountEmail, model.TodayAt(time.GetUtcNow()));
    }

    /// <summary>Saves a version from a unit's head: refused whole, with every change outside their units named, when it reaches beyond them.</summary>
    public DepartmentRevision SaveWithin(UnitScope scope, string text, string savedBy, string note = "")
    {
        var outside = scope.Outside(Current().Model, DepartmentDocument.Parse(text));
        if (outside.Count > 0) throw new DepartmentDocumentException(outside);
        return Save(text, savedBy, note);
    }

    /// <summary>Records that a person's access to a system was reviewed today, as a new revision; false when there is no such access.</summary>
    public bool MarkAccessReviewed(string person, string system, string reviewer)
    {
        var (model, _) = Current();
        var today = model.TodayAt(time.GetUtcNow());
        var found = false;
        for (var i = 0; i < model.Accesses.Count; i++)
        {
            var grant = model.Accesses[i];
            if (grant.Person != person || !string.Equals(grant.System, system, StringComparison.OrdinalIgnoreCase)) continue;
            model.Accesses[i] = grant.With(lastReview: today, reviewer: reviewer);
            found = true;
        }
        if (found) Save(DepartmentDocument.Write(model), reviewer, $"Access reviewed: {person} → {system}");
        return found;
    }

    /// <summary>
    /// Follows a site's new domain through the model, as a new revision: the KPIs measured on it, and the access systems (and
    /// the accesses functions need) whose names mention it, such as "shop.example CMS". False when nothing named the old one.
    /// </summary>
    public bool RenameSite(string oldDomain, string newDomain, string savedBy)
    {
        var (model, _) = Current();
        var mention = new Regex(@"(?<![\w.-])" + Regex.Escape(oldDomain) + @"(?![\w-]|\.\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var kpis = model.Strategies.SelectMany(s => s.Objectives).SelectMany(o => o.Kpis)
            .Where(kpi => Sites.SiteDomain.Normalize(kpi.Site) == oldDomain).ToList();
        foreach (var kpi in kpis) kpi.Site = newDomain;
        var changed = kpis.Count;
        for (var i = 0; i < model.Accesses.Count; i++)
            if (mention.IsMatch(model.Accesses[i].System))
                (model.Accesses[i], changed) = (model.Accesses[i].With(system: mention.Replace(model.Accesses[i].System, newDomain)), changed + 1);
        foreach (var function in model.Functions)
            for (var i = 0; i < function.Needs.Count; i++)
                if (mention.IsMatch(function.Needs[i].System))
                    (function.Needs[i], changed) = (function.Needs[i] with { System = mention.Replace(function.Needs[i].System, newDomain) }, changed + 1);
        if (changed == 0) return false;
        Save(DepartmentDocument.Write(model), savedBy, $"Site renamed: {oldDomain} → {newDomain}");
        return true;
    }

    /// <summary>The revisions, newest first, each with what it changed against the one before.</summary>
    public IReadOnlyList<(DepartmentRevision Revision, IReadOnlyList<DepartmentChange> Changes)> History(int limit = 100)
    {
        using var db = databases.CreateDbContext();
        var revisions = db.DepartmentRevisions.AsNoTracking().OrderByDescending(r => r.Id).Take(limit + 1).ToList();
        var result = new List<(DepartmentRevision, IReadOnlyList<DepartmentChange>)>();
        for (var i = 0; i < Math.Min(limit, revisions.Count); i++)
        {
            var before = i + 1 < revisions.Count ? DepartmentDocument.Parse(revisions[i + 1].Document) : new DepartmentModel();
            result.Add((revisions[i], Changes(before, DepartmentDocument.Parse(revisions[i].Document))));
        }
        return result;
    }

    /// <summary>Entities added, removed or changed between two models, by kind and id.</summary>
    public static IReadOnlyList<DepartmentChange> Changes(DepartmentModel before, DepartmentModel after)
    {
        var changes = new List<DepartmentChange>();
        void Compare<T>(string kind, IEnumerable<T> old, IEnumerable<T> now, Func<T, string> key)
        {
            var oldById = old.GroupBy(key).ToDictionary(g => g.Key, g => g.First());
            var nowById = now.GroupBy(key).ToDictionary(g => g.Key, g => g.First());
            foreach (var id in oldById.Keys.Union(nowById.Keys).Order(StringComparer.Ordinal))
            {
                var (was, @is) = (oldById.GetValueOrDefault(id), nowById.GetValueOrDefault(id));
                var (wasText, isText) = (was is null ? null : JsonSerializer.Serialize(was), @is is null ? null : JsonSerializer.Serialize(@is));
                if (wasText != isText) changes.Add(new DepartmentChange(kind, id, wasText, isText) { Was = was, Is = @is });
            }
        }
        Compare("settings", [before.Settings], [after.Settings], _ => "settings");
        Compare("structure review", [before.StructureReviewedOn], [after.StructureReviewedOn], _ => "reviewed on");
        Compare("strategy", before.Strategies, after.Strategies, s => s.Id);
        Compare("unit", before.Units, after.Units, u => u.Id);
        Compare("person", before.People, after.People, p => p.Id);
        Compare("function", before.Functions, after.Functions, f => f.Id);
        Compare("access", before.Accesses, after.Accesses, a => $"{a.Person} → {a.System}");
        Compare("budget", before.Budgets, after.Budgets, b => $"{b.Unit}: {b.Channel} {b.Campaign} {b.PeriodFrom:yyyy-MM-dd}");
        Compare("exchange rate", before.ExchangeRates, after.ExchangeRates, r => $"{r.Currency} → {r.To} from {r.From:yyyy-MM-dd}");
        Compare("delegation", before.Delegations, after.Delegations, d => $"{d.From} → {d.To}: {d.Function} from {d.Start:yyyy-MM-dd}");
        return changes;
    }
}
