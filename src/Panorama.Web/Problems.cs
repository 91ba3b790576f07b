namespace Panorama.Web;

/// <summary>RFC 9457 problem responses (application/problem+json) used by every endpoint.</summary>
public static class Problems
{
    public static IResult Of(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);

    public static IResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, "Invalid request", detail);
    public static IResult Unauthorized(string detail) => Of(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    public static IResult Forbidden(string detail) => Of(StatusCodes.Status403Forbidden, "Forbidden", detail);
    public static IResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found", detail);
}
