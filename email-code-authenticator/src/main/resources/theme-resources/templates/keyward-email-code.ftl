<#--
  Email code (keyward-email-code): the code the user got by mail. Plain HTML with the login
  theme's CSS classes, so it renders under keycloak.v2, base and themes derived from them.
  One form, two buttons: email_code_op=verify (Enter, with "code") or resend (no code needed).
  The page never shows whether a mail really went out: the info line says "if an account
  exists", unless an earlier factor of this login already proved who the user is.
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("keywardEmailCodeTitle")}
    <#elseif section = "form">
        <div id="kc-form">
          <div id="kc-form-wrapper">
            <form id="kc-email-code-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
                <div class="${properties.kcFormGroupClass!}">
                    <label for="code" class="${properties.kcLabelClass!}">${msg("keywardEmailCodeLabel")}</label>
                    <span class="${properties.kcInputClass!}">
                        <input id="code" name="code" type="text" autocomplete="one-time-code" autofocus
                               autocapitalize="characters" spellcheck="false"
                               <#if emailCodeDigits!true>inputmode="numeric"</#if>
                               maxlength="${(emailCodeLength!6) * 2}"
                               aria-invalid="<#if message?has_content && message.type = 'error'>true</#if>"/>
                    </span>
                    <div id="kc-email-code-lifetime" class="${properties.kcFormHelperTextClass!}">${msg("keywardEmailCodeLifetime", emailCodeLifetimeMinutes!10)}</div>
                </div>
                <div class="${properties.kcFormGroupClass!}">
                    <div class="${properties.kcFormActionGroupClass!}">
                        <button id="kc-email-code-verify" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}"
                                type="submit" name="email_code_op" value="verify"><#if emailCodeReset!false>${msg("doContinue")}<#else>${msg("doLogIn")}</#if></button>
                        <button id="kc-email-code-resend" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"
                                type="submit" name="email_code_op" value="resend" formnovalidate>${msg("keywardEmailCodeResend")}</button>
                    </div>
                </div>
            </form>
            <#-- set by keyward-second-factor (mfa-policy-flow) when it runs this page and the user has another method -->
            <#if keywardSecondFactorSwitch!false>
                <form id="kc-second-factor-switch-form" action="${url.loginAction}" method="post">
                    <button id="kc-second-factor-switch" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"
                            type="submit" name="keyward_2fa_switch" value="1">${msg("keywardSecondFactorSwitch")}</button>
                </form>
            </#if>
          </div>
        </div>
    </#if>
</@layout.registrationLayout>
