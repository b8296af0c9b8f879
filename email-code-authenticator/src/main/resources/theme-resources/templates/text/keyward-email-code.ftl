<#ftl output_format="plainText">
${msg("keywardEmailCodeBodyIntro", realmName)}

    ${code}

${msg("keywardEmailCodeBodyLifetime", codeLifetimeMinutes)}
<#if requestTime??>
${msg("keywardEmailCodeBodyRequest", requestTime, requestIp)}
</#if>

${msg("keywardEmailCodeBodyIgnore")}
