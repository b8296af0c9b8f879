<#ftl output_format="plainText">
${msg("keywardOpaqueRetiredBodyIntro", realmName)}

<#if hasPasskey>
${msg("keywardOpaqueRetiredBodyForgot")}
<#if canSignIn>

${msg("keywardOpaqueRetiredBodySignIn")}
</#if>
<#else>
${msg("keywardOpaqueRetiredBodyAdmin")}
</#if>
