namespace Panorama.Core.Ingestion;

/// <summary>Why a request cannot be stored: an HTTP status, a short title and a reason naming the field.</summary>
public sealed record EventRejection(int Status, string Title, string Detail)
{
    public static EventRejection Invalid(string detail) => new(400, "Invalid event", detail);
}
