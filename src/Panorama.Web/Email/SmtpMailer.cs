using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Panorama.Web.Email;

/// <summary>Sends messages through the configured SMTP server (<c>Panorama:Email</c>), one connection a message.</summary>
public sealed class SmtpMailer(IOptions<PanoramaOptions> options)
{
    long sent, failed;

    public bool IsConfigured => options.Value.Email.IsConfigured;

    /// <summary>Messages sent and refused since start (for /metrics).</summary>
    public (long Sent, long Failed) Counts => (Interlocked.Read(ref sent), Interlocked.Read(ref failed));

    /// <summary>
    /// Whether the exception says the message did not reach the SMTP server (unset, a bad sender address, unreachable,
    /// refused), as a page shows it; anything else is a bug and stays one.
    /// </summary>
    public static bool IsDeliveryFailure(Exception exception) => exception is NotConfiguredException
        or MailKit.ServiceNotConnectedException or MailKit.ServiceNotAuthenticatedException or IOException or System.Net.Sockets.SocketException
        or TimeoutException or MailKit.CommandException or MailKit.ProtocolException or AuthenticationException or SslHandshakeException;

    public sealed class NotConfiguredException(string message = "Email is not configured: set Panorama:Email:SmtpHost.") : InvalidOperationException(message);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var email = options.Value.Email;
        if (!email.IsConfigured) throw new NotConfiguredException();
        if (message.From.Count == 0)
        {
            if (!MailboxAddress.TryParse(email.From, out var from) || !from.Address.Contains('@', StringComparison.Ordinal))
                throw new NotConfiguredException($"Panorama:Email:From '{email.From}' is not an email address.");
            message.From.Add(from);
        }
        var security = email.Security.ToLowerInvariant() switch
        {
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "tls" or "ssl" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        };
        try
        {
            using var client = new SmtpClient { Timeout = 30_000 };
            await client.ConnectAsync(email.SmtpHost!, email.SmtpPort, security, cancellationToken);
            if (!string.IsNullOrEmpty(email.Username)) await client.AuthenticateAsync(email.Username, email.Password ?? "", cancellationToken);
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            Interlocked.Increment(ref sent);
        }
        catch
        {
            Interlocked.Increment(ref failed);
            throw;
        }
    }
}
