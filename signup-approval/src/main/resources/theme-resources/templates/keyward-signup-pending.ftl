<#--
  Sign-up approval (keyward-signup-approval): the account exists but waits for an admin. No form
  and no button: nothing the user does here moves the login on. Plain HTML with the login theme's
  CSS classes, so it renders under keycloak.v2, base and themes derived from them.
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("keywardSignupPendingTitle")}
    <#elseif section = "form">
        <div id="keyward-signup-pending" class="${properties.kcFormGroupClass!}">
            <p id="keyward-signup-pending-info">${msg("keywardSignupPendingInfo", keywardApprovalProvider!"")}</p>
            <p id="keyward-signup-pending-next">${msg("keywardSignupPendingNext", keywardApprovalProvider!"")}</p>
        </div>
    </#if>
</@layout.registrationLayout>
