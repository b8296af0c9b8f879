<#--
  Second factor (keyward-second-factor): the user's usable methods other than the one already
  used. Each button posts keyward_2fa_method=<PASSWORD|PASSKEY|EMAIL_CODE>.
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("keywardSecondFactorTitle")}
    <#elseif section = "form">
        <form id="kc-second-factor-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <p>${msg("keywardSecondFactorInfo")}</p>
            <div class="${properties.kcFormGroupClass!}">
                <#list keywardSecondFactorMethods as method>
                    <button id="kc-second-factor-${method?lower_case}" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"
                            type="submit" name="keyward_2fa_method" value="${method}">${msg("keywardSecondFactorMethod-" + method)}</button>
                </#list>
            </div>
        </form>
    </#if>
</@layout.registrationLayout>
