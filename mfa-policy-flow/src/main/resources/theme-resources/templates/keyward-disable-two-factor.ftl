<#--
  Disable two-factor sign-in (keyward-disable-two-factor): confirm (keyward_2fa_disable) after a
  fresh two-factor login, or cancel; without one, "Sign in again" (Keycloak's restart of the login,
  url.loginRestartFlowUrl: the browser's session ends and the user signs in anew with both methods).
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("keywardDisableTwoFactorTitle")}
    <#elseif section = "form">
        <form id="kc-disable-two-factor-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <#if keywardFreshTwoFactor>
                <p id="kc-2fa-disable-info">${msg("keywardDisableTwoFactorInfo")}</p>
                <button id="kc-2fa-disable" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}"
                        type="submit" name="keyward_2fa_disable" value="true">${msg("keywardDisableTwoFactorConfirm")}</button>
            <#else>
                <p id="kc-2fa-fresh-login">${msg("keywardDisableTwoFactorFreshLogin")}</p>
                <a id="kc-2fa-sign-in-again" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}"
                   href="${url.loginRestartFlowUrl}">${msg("keywardTwoFactorSignInAgain")}</a>
            </#if>
            <#if isAppInitiatedAction??>
                <button id="kc-2fa-cancel" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"
                        type="submit" name="cancel-aia" value="true">${msg("doCancel")}</button>
            </#if>
        </form>
    </#if>
</@layout.registrationLayout>
