<#--
  Enable two-factor sign-in (keyward-enable-two-factor), shown only while the user cannot switch
  it on yet: fewer than two usable methods (each setup button posts keyward_2fa_setup=<METHOD>
  and runs that method's setup action), or two methods but not both proven in this login: then
  "Sign in again" is Keycloak's restart of the login (url.loginRestartFlowUrl), which ends the
  browser's session and signs in anew, where the policy asks for both methods.
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("keywardEnableTwoFactorTitle")}
    <#elseif section = "form">
        <form id="kc-enable-two-factor-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <#if keywardNeedsFreshLogin>
                <p id="kc-2fa-fresh-login">${msg("keywardEnableTwoFactorFreshLogin")}</p>
                <a id="kc-2fa-sign-in-again" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}"
                   href="${url.loginRestartFlowUrl}">${msg("keywardTwoFactorSignInAgain")}</a>
            <#else>
                <p id="kc-2fa-needs-methods">${msg("keywardEnableTwoFactorNeedsMethods")}</p>
                <p id="kc-2fa-usable">${msg("keywardEnableTwoFactorYouHave")}
                    <#list keywardUsableMethods as method>${msg("keywardSecondFactorMethod-" + method)}<#sep>, </#sep><#else>${msg("keywardEnableTwoFactorNone")}</#list>
                </p>
                <#if keywardSetupMethods?has_content>
                    <div class="${properties.kcFormGroupClass!}">
                        <#list keywardSetupMethods as method>
                            <button id="kc-2fa-setup-${method?lower_case}" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"
                                    type="submit" name="keyward_2fa_setup" value="${method}">${msg("keywardEnableTwoFactorSetup-" + method)}</button>
                        </#list>
                    </div>
                <#else>
                    <p id="kc-2fa-no-setup">${msg("keywardEnableTwoFactorNoSetup")}</p>
                </#if>
            </#if>
            <#if isAppInitiatedAction??>
                <button id="kc-2fa-cancel" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"
                        type="submit" name="cancel-aia" value="true">${msg("doCancel")}</button>
            </#if>
        </form>
    </#if>
</@layout.registrationLayout>
