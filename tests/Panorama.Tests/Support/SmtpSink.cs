using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Panorama.Tests.Support;

/// <summary>
/// An SMTP server on a loopback port that keeps what it receives: the far end of Panorama's real SMTP client (MailKit), for
/// tests of what the messages say. <see cref="Refuse"/> makes it answer 550 to every recipient.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();
    public volatile bool Refuse;
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public SmtpSink()
    {
        listener.Start();
        _ = AcceptAsync();
    }

    public string[] Settings => ["--Panorama:Email:SmtpHost=127.0.0.1", $"--Panorama:Email:SmtpPort={Port}", "--Panorama:Email:From=Panorama <stats@panorama.test>"];

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception) { return; }
            _ = ServeAsync(client);
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 sink.test ESMTP");
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO": await writer.WriteLineAsync("250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8"); break;
                case "HELO": await writer.WriteLineAsync("250 sink.test"); break;
                case "RCPT": await writer.WriteLineAsync(Refuse ? "550 5.7.1 refused by the test" : "250 OK"); break;
                case "DATA":
                    await writer.WriteLineAsync("354 go on");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } body && body != ".")
                        data.Append(body.StartsWith("..", StringComparison.Ordinal) ? body[1..] : body).Append("\r\n");
                    Messages.Enqueue(await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(data.ToString()))));
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "QUIT": await writer.WriteLineAsync("221 bye"); return;
                default: await writer.WriteLineAsync("250 OK"); break;
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
    }
}
