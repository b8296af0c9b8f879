<#--
  Set / change the OPAQUE password (required action keyward-opaque-register).
  Contract with the page script (keyward-opaque-<hash>.js): the form carries data-keyward-opaque="register"; the script
  checks the new password against the data-* policy attributes, POSTs
  opaque_step=registration-request&request=.. with fetch to the form action, reads
  {"response","action"}, finishes the registration, sets record and
  opaque_step=registration-record, points the form at "action" and submits it.
  The password inputs have no name attribute, so the browser can never submit them.
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("keywardOpaqueRegisterTitle")}
    <#elseif section = "form">
        <noscript>
            <div id="keyward-opaque-noscript" class="${properties.kcAlertClass!} pf-m-danger" role="alert">
                <span class="${properties.kcAlertTitleClass!}">${msg("keywardOpaqueJavascriptRequired")}</span>
            </div>
        </noscript>
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
            <div class="${properties.kcFormGroupClass!}">
                <label for="password-new" class="${properties.kcLabelClass!}">${msg("passwordNew")}</label>
                <span class="${properties.kcInputClass!}">
                    <#-- deliberately no name attribute: never part of a form submission -->
                    <input id="password-new" type="password" autocomplete="new-password" autofocus/>
                </span>
            </div>
            <div class="${properties.kcFormGroupClass!}">
                <label for="password-confirm" class="${properties.kcLabelClass!}">${msg("passwordConfirm")}</label>
                <span class="${properties.kcInputClass!}">
                    <input id="password-confirm" type="password" autocomplete="new-password"/>
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
            <#-- the alert classes go on only while it shows: themes style them with a display that beats "hidden" -->
            <div id="keyward-opaque-error" data-alert-class="${properties.kcAlertClass!} pf-m-danger" role="alert" aria-live="polite" hidden></div>
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcFormActionGroupClass!}">
                    <button id="kc-submit" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}" type="submit">${msg("doSubmit")}</button>
                    <#if isAppInitiatedAction??>
                        <#-- handled by Keycloak before the action runs; the script must let it through -->
                        <button id="kc-cancel" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}" type="submit" name="cancel-aia" value="true" formnovalidate>${msg("doCancel")}</button>
                    </#if>
                </div>
            </div>
        </form>
        <#-- content-hashed names (PageAssets): an upgraded pack's script reaches browsers at once -->
        <#if opaqueSuiteScript??><link rel="modulepreload" href="${url.resourcesPath}/js/${opaqueSuiteScript}"/></#if>
        <script type="module" src="${url.resourcesPath}/js/${opaqueScript}"></script>
    </#if>
</@layout.registrationLayout>
