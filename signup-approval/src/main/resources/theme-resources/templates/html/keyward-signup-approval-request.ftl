<#-- The approvers' mail, HTML part (any email theme that extends base: its template.ftl lays it out). -->
<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("keywardSignupApprovalBodyIntro", pendingUsername, identityProvider)}</p>
<#if pendingEmail?has_content>
<p>${msg("keywardSignupApprovalBodyEmail", pendingEmail)}</p>
</#if>
<p>${msg("keywardSignupApprovalBodyAction")}</p>
<p><a href="${approvalsUrl}">${approvalsUrl}</a></p>
</@layout.emailLayout>
