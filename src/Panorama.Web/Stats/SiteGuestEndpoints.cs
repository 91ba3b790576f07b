using Panorama.Core.Access;
using Panorama.Core.Accounts;
using Panorama.Core.Sites;
using Panorama.Web.Email;
using Panorama.Web.Localization;

namespace Panorama.Web.Stats;

/// <summary>
/// A site's people in Plausible's Sites API shape (its "guests"): <c>GET /api/v1/sites/guests?site_id=</c> lists members
/// (<c>accepted</c>) and open invitations (<c>invited</c>); <c>PUT /api/v1/sites/guests</c> with <c>{site_id, email, role}</c>
/// finds the person or invites them; <c>DELETE /api/v1/sites/guests/EMAIL</c> takes their role and invitations away.
/// People are an admin's concern in the interface, so each call needs a key for every site, and changes are in the access log.
/// </summary>
public static class SiteGuestEndpoints
{
    public static IEndpointRouteBuilder MapSiteGuests(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sites/guests").RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Sites");
        group.MapGet("", List).WithSummary("A site's people: members (accepted) and open invitations (invited)");
        group.MapPut("", FindOrInvite).WithSummary("Find or invite a person: {site_id, email, role: viewer|editor|admin}");
        group.MapDelete("/{email}", Delete).WithSummary("Take a person's role and invitations on the site away: {site_id}");
        return app;
    }

    static object Guest(string email, SiteRole role, string status) => new { email, role = role.ToString().ToLowerInvariant(), status };

    static async Task<IResult> List(HttpContext http, ApiKeyService keys, SiteDirectory sites, SiteAccess access, Invitations invitations)
    {
        var (fields, invalid) = await SiteEndpoints.Fields(http, "site_id");
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(fields["site_id"])) return Problems.BadRequest("Parameter `site_id` is required to list guests.");
        var (found, refused) = SiteEndpoints.ForChange(http, keys, sites, fields["site_id"]!, "Listing a site's people");
        if (refused is not null) return refused;
        var site = found!.Value.Site;
        var members = access.MembersOf(site.Id).Select(m => Guest(m.Email, m.Member.Role, "accepted"));
        var invited = invitations.OpenFor(site.Id).Select(i => Guest(i.Email, i.Role, "invited"));
        return Results.Ok(new { guests = members.Concat(invited) });
    }

    static async Task<IResult> FindOrInvite(HttpContext http, ApiKeyService keys, SiteDirectory sites, SiteAccess access, Invitations invitations,
        AccessAudit audit, SmtpMailer mailer, AccountEmail accountEmails, PublicAddress address, Texts texts)
    {
        var (fields, invalid) = await SiteEndpoints.Fields(http, "site_id", "email", "role");
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(fields["site_id"])) return Problems.BadRequest("Parameter `site_id` is required to invite a guest.");
        var email = fields["email"]?.Trim() ?? "";
        if (email.Length is 0 or > 254 || !email.Contains('@', StringComparison.Ordinal) || !MimeKit.MailboxAddress.TryParse(email, out var mailbox) || mailbox.Address != email)
            return Problems.BadRequest("Parameter `email` must be an email address, such as alice@example.com.");
        if (fields["role"]?.Trim().ToLowerInvariant() is not ("viewer" or "editor" or "admin") || !Enum.TryParse<SiteRole>(fields["role"], ignoreCase: true, out var role))
            return Problems.BadRequest("Parameter `role` is required: \"viewer\", \"editor\" or \"admin\".");
        var (found, refused) = SiteEndpoints.ForChange(http, keys, sites, fields["site_id"]!, "Inviting people");
        if (refused is not null) return refused;
        var (site, key) = found!.Value;

        // Found, not changed: the role of someone already in stays theirs to change in the settings.
        if (access.MembersOf(site.Id).FirstOrDefault(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase)) is { Member: not null } member)
            return Results.Ok(Guest(member.Email, member.Member.Role, "accepted"));
        if (invitations.OpenFor(site.Id).FirstOrDefault(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase)) is { } open)
            return Results.Ok(Guest(open.Email, open.Role, "invited"));

        var (_, token) = invitations.Create(email, site.Id, role, key.CreatedByUserId ?? $"api-key:{key.Prefix}");
        var actor = $"API key {key.Prefix}…";
        audit.Record(actor, "invited", $"{email} as {role} on {site.Domain}");
        var link = $"{address.Of(http.Request)}/invite/{token}";
        var sent = false;
        if (mailer.IsConfigured)
        {
            try
            {
                await mailer.SendAsync(accountEmails.Invitation(email, site.Domain, texts[role.ToString()], $"Panorama ({key.Name})", link), http.RequestAborted);
                sent = true;
            }
            catch (Exception exception) when (SmtpMailer.IsDeliveryFailure(exception))
            {
                // The link in the answer still reaches the person.
            }
        }
        // The link is shown this once, as on the settings page: the database keeps only its hash.
        return Results.Ok(new { email, role = role.ToString().ToLowerInvariant(), status = "invited", invitation_url = link, email_sent = sent });
    }

    static async Task<IResult> Delete(HttpContext http, ApiKeyService keys, SiteDirectory sites, SiteAccess access, Invitations invitations, AccessAudit audit, string email)
    {
        var (fields, invalid) = await SiteEndpoints.Fields(http, "site_id");
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(fields["site_id"])) return Problems.BadRequest("Parameter `site_id` is required to remove a guest.");
        var (found, refused) = SiteEndpoints.ForChange(http, keys, sites, fields["site_id"]!, "Removing people");
        if (refused is not null) return refused;
        var (site, key) = found!.Value;
        var removed = false;
        foreach (var (member, memberEmail) in access.MembersOf(site.Id).Where(m => string.Equals(m.Email, email.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            access.Revoke(member.UserId, site.Id);
            audit.Record($"API key {key.Prefix}…", "removed", $"{memberEmail} from {site.Domain}");
            removed = true;
        }
        if (invitations.CancelFor(site.Id, email) > 0)
        {
            audit.Record($"API key {key.Prefix}…", "cancelled invitation", $"of {email.Trim()} on {site.Domain}");
            removed = true;
        }
        // Idempotent, as Plausible's: removing someone who is not there leaves it so.
        return Results.Ok(new { deleted = true, removed });
    }
}
