namespace Panorama.Core.Ingestion;

/// <summary>What the HTTP layer knows about the sender of an event, after overrides were applied or refused.</summary>
public readonly record struct RequestContext(string ClientIp, string UserAgent, DateTimeOffset Timestamp);
