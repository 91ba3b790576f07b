namespace Panorama.Core.Accounts;

/// <summary>What a person may do on one site; each role includes the ones below it.</summary>
public enum SiteRole
{
    /// <summary>Reads the dashboard and exports.</summary>
    Viewer = 1,

    /// <summary>Also manages goals and creates API keys for the site.</summary>
    Editor = 2,

    /// <summary>Also manages members, invitations, shared links and the site's settings.</summary>
    Admin = 3,

    /// <summary>The owner account: every right on every site.</summary>
    Owner = 4,
}
