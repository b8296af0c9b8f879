<#--
  Keyward email layout: base's emailLayout macro (same name, same lang/dir attributes, the body
  nested once) with the realm name as a header and a plain card. Inline styles and layout tables
  only, as mail clients need; no images, no external resources, no scripts. Every HTML mail of
  the realm goes through it; the text/ parts have no layout.
-->
<#macro emailLayout>
<html lang="${locale.language}" dir="${(ltr)?then('ltr','rtl')}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${subject!""}</title>
</head>
<body style="margin:0;padding:0;background-color:#eef4f2;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#eef4f2;">
  <tr>
    <td align="center" style="padding:24px 12px;">
      <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"
             style="max-width:560px;background-color:#ffffff;border-top:4px solid #1f6f5c;border-radius:4px;">
        <tr>
          <td id="keyward-email-header" style="padding:20px 28px 0 28px;font-family:Arial,Helvetica,sans-serif;font-size:18px;font-weight:bold;color:#1f6f5c;">${realmName!""}</td>
        </tr>
        <tr>
          <td style="padding:8px 28px 24px 28px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1d2a27;">
<#nested>
          </td>
        </tr>
      </table>
      <p style="margin:12px 0 0 0;font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#5b6b67;">${msg("keywardEmailFooter", realmName!"")}</p>
    </td>
  </tr>
</table>
</body>
</html>
</#macro>
