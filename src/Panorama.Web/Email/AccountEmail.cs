using System.Net;
using MimeKit;
using Panorama.Web.Localization;

namespace Panorama.Web.Email;

/// <summary>Messages about a person's account — a link to set a new password, an invitation — in the language of the page that asked.</summary>
public sealed class AccountEmail(Texts texts)
{
    public MimeMessage PasswordReset(string email, string link) => Message(email, texts["Panorama: set a new password"],
        texts["Someone, probably you, asked to set a new password for this Panorama account. The link works for 24 hours, once."],
        link, texts["Set a new password"], texts["If it was not you, ignore this message: the password stays as it is."]);

    public MimeMessage Invitation(string email, string domain, string role, string inviter, string link) => Message(email,
        texts.Format("Panorama: an invitation to {0}", domain),
        texts.Format("{0} invites you to the analytics of {1} in Panorama, as {2}. The link works for 7 days, once.", inviter, domain, role),
        link, texts["Accept the invitation"], texts["If you do not know the sender, ignore this message."]);

    static MimeMessage Message(string email, string subject, string lead, string link, string action, string footnote)
    {
        var html = $"""
            <!DOCTYPE html><html lang="{Texts.Language}"><body style="font-family:system-ui,sans-serif;color:#111"><div style="max-width:640px">
            <h2>{E(subject)}</h2><p>{E(lead)}</p>
            <p style="margin:20px 0"><a href="{E(link)}" style="background:#4f46e5;color:#fff;padding:8px 14px;border-radius:6px;text-decoration:none">{E(action)}</a></p>
            <p style="color:#777;font-size:12px">{E(footnote)}</p></div></body></html>
            """;
        var text = $"{subject}\n\n{lead}\n\n{action}: {link}\n\n{footnote}\n";
        var message = new MimeMessage { Subject = subject, Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody() };
        message.To.Add(MailboxAddress.Parse(email));
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }

    static string E(string value) => WebUtility.HtmlEncode(value);
}
