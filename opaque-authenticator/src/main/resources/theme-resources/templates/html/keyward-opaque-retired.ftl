<#-- To a two-factor user whose password a key retirement removed (KeyRotationResource), HTML part. -->
<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("keywardOpaqueRetiredBodyIntro", realmName)}</p>
<#if hasPasskey>
<p>${msg("keywardOpaqueRetiredBodyForgot")}</p>
<#if canSignIn>
<p>${msg("keywardOpaqueRetiredBodySignIn")}</p>
</#if>
<#else>
<p>${msg("keywardOpaqueRetiredBodyAdmin")}</p>
</#if>
</@layout.emailLayout>
