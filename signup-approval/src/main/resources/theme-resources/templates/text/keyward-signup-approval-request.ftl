<#ftl output_format="plainText">
${msg("keywardSignupApprovalBodyIntro", pendingUsername, identityProvider)}
<#if pendingEmail?has_content>
${msg("keywardSignupApprovalBodyEmail", pendingEmail)}
</#if>

${msg("keywardSignupApprovalBodyAction")}
${approvalsUrl}
