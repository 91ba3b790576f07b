namespace Panorama.Core.Enrichment;

/// <summary>Default channel groups (GA4's, plus AI assistants, which GA4 lacks).</summary>
public static class Channel
{
    public const string Direct = "Direct";
    public const string OrganicSearch = "Organic Search";
    public const string PaidSearch = "Paid Search";
    public const string OrganicSocial = "Organic Social";
    public const string PaidSocial = "Paid Social";
    public const string OrganicVideo = "Organic Video";
    public const string PaidVideo = "Paid Video";
    public const string PaidOther = "Paid Other";
    public const string OrganicShopping = "Organic Shopping";
    public const string Display = "Display";
    public const string Email = "Email";
    public const string Affiliates = "Affiliates";
    public const string Referral = "Referral";
    public const string AiAssistants = "AI Assistants";
    public const string Sms = "SMS";
    public const string Audio = "Audio";
    public const string MobilePush = "Mobile Push Notifications";
    public const string CrossNetwork = "Cross-network";
    public const string Unassigned = "Unassigned";
}
