<#-- The code mail, HTML part (any email theme that extends base: its template.ftl lays it out). -->
<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("keywardEmailCodeBodyIntro", realmName)}</p>
<p style="font-size:28px;font-weight:bold;letter-spacing:4px;font-family:monospace">${code}</p>
<p>${msg("keywardEmailCodeBodyLifetime", codeLifetimeMinutes)}</p>
<#if requestTime??>
<p>${msg("keywardEmailCodeBodyRequest", requestTime, requestIp)}</p>
</#if>
<p>${msg("keywardEmailCodeBodyIgnore")}</p>
</@layout.emailLayout>
