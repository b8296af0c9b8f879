<#--
  Set / change the OPAQUE password (required action keyward-opaque-register).
  Contract with the page script (keyward-opaque-<hash>.js): the form carries data-keyward-opaque="register"; the script
  checks the new password against the data-* policy attributes, POSTs
  opaque_step=registration-request&request=.. with fetch to the form action, reads
  {"response","action"}, finishes the registration, sets record and
  opaque_step=registration-record, points the form at "action" and submits it.
  The password inputs have no name attribute, so the browser can never submit them; a hidden,
  unnamed autocomplete="username" input names the account for password managers.
  The rules the script checks are also listed under the new password (#keyward-opaque-password-rules,
  in its aria-describedby) before any submit. The submit button comes disabled: the script enables
  it and sets data-keyward-ready on the form once its handlers are attached, and removes
  #keyward-opaque-script-hint, which tells the user of a page whose script never ran what to do.
  A POST without opaque_step gets this page, 400, saying the script did not run. Errors go to
  #keyward-opaque-error (one alert: a title with the text, or a list); the script adds a visually
  hidden role="status" region (#keyward-opaque-status) that announces data-msg-working.
  Cancel (application-initiated action) is in its own form, #kc-opaque-cancel-form, which posts
  cancel-aia=true without the script.
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("keywardOpaqueRegisterTitle")}
    <#elseif section = "form">
        <#-- the rules the page script checks (data-* below), stated before any submit -->
        <#assign passwordRules = []>
        <#if opaqueMinLength gt 0><#assign passwordRules = passwordRules + [msg("keywardOpaquePasswordRuleMinLength", opaqueMinLength?c)]></#if>
        <#if opaqueMaxLength gt 0><#assign passwordRules = passwordRules + [msg("keywardOpaquePasswordRuleMaxLength", opaqueMaxLength?c)]></#if>
        <#if (username!'')?has_content>
            <#if opaqueNotContainsUsername><#assign passwordRules = passwordRules + [msg("keywardOpaquePasswordRuleNotContainsUsername")]>
            <#elseif opaqueNotUsername><#assign passwordRules = passwordRules + [msg("keywardOpaquePasswordRuleNotUsername")]></#if>
        </#if>
        <#if opaqueNotEmail && (opaqueEmail!'')?has_content><#assign passwordRules = passwordRules + [msg("keywardOpaquePasswordRuleNotEmail")]></#if>
        <noscript>
            <div id="keyward-opaque-noscript" class="${properties.kcAlertClass!} pf-m-danger" role="alert">
                <span class="${properties.kcAlertTitleClass!}">${msg("keywardOpaqueJavascriptRequired")}</span>
            </div>
        </noscript>
        <#if isAppInitiatedAction??>
            <#-- Cancel's own form (its button below names it): the page script never intercepts it, so
                 Cancel needs neither the script nor SubmitEvent.submitter (which Safari < 15.4 lacks);
                 Keycloak handles cancel-aia before the action runs -->
            <form id="kc-opaque-cancel-form" action="${url.loginAction}" method="post" hidden>
                <input type="hidden" name="cancel-aia" value="true"/>
            </form>
        </#if>
        <form id="kc-opaque-register-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate"
              data-keyward-opaque="register"
              data-suite="${opaqueSuite}"
              data-ksf="${opaqueKsf}"
              data-username="${username!''}"
              data-email="${opaqueEmail!''}"
              data-min-length="${opaqueMinLength?c}"
              data-max-length="${opaqueMaxLength?c}"
              data-not-username="${opaqueNotUsername?c}"
              data-not-contains-username="${opaqueNotContainsUsername?c}"
              data-not-email="${opaqueNotEmail?c}"
              data-msg-mismatch="${msg("keywardOpaquePasswordMismatch")}"
              data-msg-too-short="${msg("keywardOpaquePasswordTooShort", opaqueMinLength?c)}"
              data-msg-too-long="${msg("keywardOpaquePasswordTooLong", opaqueMaxLength?c)}"
              data-msg-is-username="${msg("keywardOpaquePasswordIsUsername")}"
              data-msg-contains-username="${msg("keywardOpaquePasswordContainsUsername")}"
              data-msg-is-email="${msg("keywardOpaquePasswordIsEmail")}"
              data-msg-failed="${msg("keywardOpaqueRegisterFailed")}"
              data-msg-working="${msg("keywardOpaqueWorking")}"
              data-msg-no-wasm="${msg("keywardOpaqueNoWebAssembly")}"
              data-msg-empty="${msg("keywardOpaquePasswordEmpty")}">
            <p id="keyward-opaque-register-info">${msg("keywardOpaqueRegisterInfo")}</p>
            <#-- for password managers: the account the new password belongs to; no name, so never submitted -->
            <input id="keyward-opaque-username" type="text" autocomplete="username" value="${username!''}" hidden/>
            <div class="${properties.kcFormGroupClass!}">
                <label for="password-new" class="${properties.kcLabelClass!}">${msg("passwordNew")}</label>
                <span class="${properties.kcInputClass!}">
                    <#-- deliberately no name attribute: never part of a form submission -->
                    <input id="password-new" type="password" autocomplete="new-password" autofocus
                           aria-describedby="<#if message?has_content && message.type = 'error'>keyward-opaque-server-error </#if><#if passwordRules?has_content>keyward-opaque-password-rules </#if>keyward-opaque-error keyward-opaque-script-hint"/>
                </span>
                <#if passwordRules?has_content>
                    <div class="${properties.kcFormHelperTextClass!}">
                        <ul id="keyward-opaque-password-rules" class="${properties.kcInputHelperTextItemTextClass!}">
                            <#list passwordRules as rule><li>${rule}</li></#list>
                        </ul>
                    </div>
                </#if>
            </div>
            <div class="${properties.kcFormGroupClass!}">
                <label for="password-confirm" class="${properties.kcLabelClass!}">${msg("passwordConfirm")}</label>
                <span class="${properties.kcInputClass!}">
                    <input id="password-confirm" type="password" autocomplete="new-password" aria-describedby="<#if message?has_content && message.type = 'error'>keyward-opaque-server-error </#if>keyward-opaque-error keyward-opaque-script-hint"/>
                </span>
            </div>
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcCheckboxClass!}">
                    <input id="logout-sessions" name="logout-sessions" type="checkbox" value="on" class="${properties.kcCheckboxInputClass!}" checked/>
                    <label for="logout-sessions" class="${properties.kcCheckboxLabelClass!}">${msg("logoutOtherSessions")}</label>
                </div>
            </div>
            <input type="hidden" id="opaque_step" name="opaque_step" value=""/>
            <input type="hidden" id="record" name="record" value=""/>
            <#-- the alert classes go on only while it shows: themes style them with a display that beats "hidden";
                 the script puts the text in one element of data-title-class (PatternFly's alert is a grid) -->
            <#-- the server's error (shown by the layout, which gives it no id): the fields' description, so a
                     screen reader says why a field is marked invalid; referenced, a hidden element is still read -->
                <#if message?has_content && message.type = 'error'><span id="keyward-opaque-server-error" hidden>${message.summary}</span></#if>
                <div id="keyward-opaque-error" data-alert-class="${properties.kcAlertClass!} pf-m-danger" data-title-class="${properties.kcAlertTitleClass!}"
                 role="alert" aria-live="polite" tabindex="-1" hidden></div>
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcFormActionGroupClass!}">
                    <#-- disabled until the page script has attached its handlers (data-keyward-ready) -->
                    <button id="kc-submit" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}" type="submit" disabled>${msg("doSubmit")}</button>
                    <#if isAppInitiatedAction??>
                        <button id="kc-cancel" form="kc-opaque-cancel-form" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}" type="submit">${msg("doCancel")}</button>
                    </#if>
                </div>
                <#-- removed by the page script as it starts: stays only where the script never runs -->
                <div id="keyward-opaque-script-hint" class="${properties.kcFormHelperTextClass!}">
                    <p class="${properties.kcInputHelperTextItemTextClass!}">${msg("keywardOpaqueScriptHint")}</p>
                </div>
            </div>
        </form>
        <#-- content-hashed names (PageAssets): an upgraded pack's script reaches browsers at once -->
        <#if opaqueSuiteScript??><link rel="modulepreload" href="${url.resourcesPath}/js/${opaqueSuiteScript}"/></#if>
        <script type="module" src="${url.resourcesPath}/js/${opaqueScript}"></script>
    </#if>
</@layout.registrationLayout>
