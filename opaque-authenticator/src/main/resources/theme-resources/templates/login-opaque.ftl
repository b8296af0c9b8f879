<#--
  OPAQUE login (keyward-opaque-login). Plain HTML with the login theme's CSS classes, so it works
  under keycloak.v2, base and themes derived from them.
  Contract with the page script (keyward-opaque-<hash>.js): the form carries data-keyward-opaque="login"; the script
  POSTs opaque_step=ke1&username=..&ke1=.. with fetch to the form action, reads {"ke2","action"},
  runs the client, sets ke3 and opaque_step=ke3, points the form at "action" and submits it.
  The password input has no name attribute, so the browser can never submit it. With legacy
  migration the KE1 answer can be {"legacy":true,"action"}: the script then fetches
  opaque_step=legacy&password=..&request=.. (the one request that carries the password) and
  submits opaque_step=legacy-record with a hidden "record" it adds; a failed legacy step shows
  the server's message, else data-msg-invalid.
  The submit button comes disabled: the script enables it and sets data-keyward-ready on the form
  once its handlers are attached, and removes #keyward-opaque-script-hint, which tells the user of
  a page whose script never ran (blocked, refused, too old a browser) what to do; JavaScript-off
  users get the <noscript>. A POST without opaque_step gets this page, 400, saying the script did
  not run. Errors go to #keyward-opaque-error (one alert: a title with the text, or a list), which
  the inputs name in aria-describedby; the script adds a visually hidden role="status" region
  (#keyward-opaque-status) that announces data-msg-working while it works.
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=true displayInfo=(realm.password && realm.registrationAllowed && !registrationDisabled??); section>
    <#if section = "header">
        ${msg("loginAccountTitle")}
    <#elseif section = "form">
        <noscript>
            <div id="keyward-opaque-noscript" class="${properties.kcAlertClass!} pf-m-danger" role="alert">
                <span class="${properties.kcAlertTitleClass!}">${msg("keywardOpaqueJavascriptRequired")}</span>
            </div>
        </noscript>
        <div id="kc-form">
          <div id="kc-form-wrapper">
            <form id="kc-opaque-login-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate"
                  data-keyward-opaque="login"
                  data-suite="${opaqueSuite}"
                  data-ksf="${opaqueKsf}"
                  data-username-hidden="${(usernameHidden??)?c}"
                  data-msg-failed="${msg("keywardOpaqueLoginFailed")}"
                  data-msg-required="${msg("keywardOpaqueFieldsRequired")}"
                  data-msg-invalid="${msg("invalidUserMessage")}"
                  data-msg-working="${msg("keywardOpaqueWorking")}"
                  data-msg-no-wasm="${msg("keywardOpaqueNoWebAssembly")}">
                <#if !usernameHidden??>
                    <div class="${properties.kcFormGroupClass!}">
                        <label for="username" class="${properties.kcLabelClass!}"><#if !realm.loginWithEmailAllowed>${msg("username")}<#elseif !realm.registrationEmailAsUsername>${msg("usernameOrEmail")}<#else>${msg("email")}</#if></label>
                        <span class="${properties.kcInputClass!}">
                            <input id="username" name="username" type="text" value="${opaqueUsername!''}" autocomplete="${(keywardPasskey??)?then('username webauthn', 'username')}" autofocus
                                   aria-invalid="<#if message?has_content && message.type = 'error'>true</#if>" aria-describedby="<#if message?has_content && message.type = 'error'>keyward-opaque-server-error </#if>keyward-opaque-error keyward-opaque-script-hint"/>
                        </span>
                    </div>
                </#if>
                <div class="${properties.kcFormGroupClass!}">
                    <label for="password" class="${properties.kcLabelClass!}">${msg("password")}</label>
                    <span class="${properties.kcInputClass!}">
                        <#-- deliberately no name attribute: never part of a form submission -->
                        <input id="password" type="password" autocomplete="current-password" <#if usernameHidden??>autofocus</#if>
                               aria-invalid="<#if message?has_content && message.type = 'error'>true</#if>" aria-describedby="<#if message?has_content && message.type = 'error'>keyward-opaque-server-error </#if>keyward-opaque-error keyward-opaque-script-hint"/>
                    </span>
                </div>
                <#if (realm.rememberMe && !usernameHidden??) || realm.resetPasswordAllowed>
                    <div class="${properties.kcFormGroupClass!}">
                        <#if realm.rememberMe && !usernameHidden??>
                            <div class="${properties.kcCheckboxClass!}">
                                <input id="rememberMe" name="rememberMe" type="checkbox" class="${properties.kcCheckboxInputClass!}" <#if (login.rememberMe)??>checked</#if>/>
                                <label for="rememberMe" class="${properties.kcCheckboxLabelClass!}">${msg("rememberMe")}</label>
                            </div>
                        </#if>
                        <#if realm.resetPasswordAllowed>
                            <div><a id="kc-forgot-password" href="${url.loginResetCredentialsUrl}">${msg("doForgotPassword")}</a></div>
                        </#if>
                    </div>
                </#if>
                <input type="hidden" id="opaque_step" name="opaque_step" value=""/>
                <input type="hidden" id="ke3" name="ke3" value=""/>
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
                        <button id="kc-login" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}" type="submit" disabled>${msg("doLogIn")}</button>
                    </div>
                    <#-- removed by the page script as it starts: stays only where the script never runs -->
                    <div id="keyward-opaque-script-hint" class="${properties.kcFormHelperTextClass!}">
                        <p class="${properties.kcInputHelperTextItemTextClass!}">${msg("keywardOpaqueScriptHint")}</p>
                    </div>
                </div>
            </form>
            <#-- passkeys, when the realm enables them (PasskeyOffer): Keycloak's challenge and policy for
                 keyward-opaque-passkey-<hash>.js, which starts the conditional (autofill) request and shows the
                 button; the assertion goes to the login form's current action with opaque_step=passkey -->
            <#if keywardPasskey??>
                <form id="keyward-passkey-form" action="${url.loginAction}" method="post" hidden
                      data-challenge="${challenge}"
                      data-rp-id="${rpId}"
                      data-user-verification="${userVerification!''}"
                      data-timeout="${(createTimeout!0)?c}"
                      data-mediation="${mediation!'conditional'}"
                      data-user-identified="${isUserIdentified!'false'}"
                      data-allow-credentials="<#if authenticators??><#list authenticators.authenticators as authenticator>${authenticator.credentialId}<#sep>,</#list></#if>">
                    <input type="hidden" name="opaque_step" value="passkey"/>
                    <input type="hidden" name="clientDataJSON" value=""/>
                    <input type="hidden" name="authenticatorData" value=""/>
                    <input type="hidden" name="signature" value=""/>
                    <input type="hidden" name="credentialId" value=""/>
                    <input type="hidden" name="userHandle" value=""/>
                    <input type="hidden" name="error" value=""/>
                    <input type="hidden" name="rememberMe" value="off" disabled/>
                </form>
                <#-- hidden until the script finds WebAuthn in the browser; the classes go on only then (themes
                     style buttons with a display that beats "hidden"); pf-v5-u-mt-md: a gap above it -->
                <button id="keyward-passkey-signin" type="button" hidden
                        data-class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!} pf-v5-u-mt-md">${msg("keywardPasskeySignIn")}</button>
                <script type="module" src="${url.resourcesPath}/js/${keywardPasskeyScript}"></script>
            </#if>
            <#-- set by keyward-second-factor (mfa-policy-flow) when it runs this page and the user has another method -->
            <#if keywardSecondFactorSwitch!false>
                <form id="kc-second-factor-switch-form" action="${url.loginAction}" method="post">
                    <button id="kc-second-factor-switch" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"
                            type="submit" name="keyward_2fa_switch" value="1">${msg("keywardSecondFactorSwitch")}</button>
                </form>
            </#if>
          </div>
        </div>
        <#-- content-hashed names (PageAssets): an upgraded pack's script reaches browsers at once -->
        <#if opaqueSuiteScript??><link rel="modulepreload" href="${url.resourcesPath}/js/${opaqueSuiteScript}"/></#if>
        <script type="module" src="${url.resourcesPath}/js/${opaqueScript}"></script>
    <#elseif section = "socialProviders">
        <#-- The realm's identity providers, with the ids Keycloak's own login pages give them
             (social-<alias>); not while this page serves as a second factor. -->
        <#if !usernameHidden?? && social?? && social.providers?has_content>
            <div id="kc-social-providers" class="${properties.kcFormSocialAccountSectionClass!}">
                <div class="${properties.kcLoginMainFooterBand!}">
                    <span class="${properties.kcLoginMainFooterBandItem!} ${properties.kcLoginMainFooterHelperText!}">${msg("identity-provider-login-label")}</span>
                </div>
                <ul class="${properties.kcFormSocialAccountListClass!}">
                    <#list social.providers as p>
                        <li class="${properties.kcFormSocialAccountListItemClass!}">
                            <a id="social-${p.alias}" class="${properties.kcFormSocialAccountListButtonClass!}" href="${p.loginUrl}">
                                <span class="${properties.kcFormSocialAccountNameClass!}">${p.displayName!}</span>
                            </a>
                        </li>
                    </#list>
                </ul>
            </div>
        </#if>
    <#elseif section = "info">
        <#if realm.password && realm.registrationAllowed && !registrationDisabled??>
            <div id="kc-registration-container">
                <div id="kc-registration">
                    <span>${msg("noAccount")} <a href="${url.registrationUrl}">${msg("doRegister")}</a></span>
                </div>
            </div>
        </#if>
    </#if>
</@layout.registrationLayout>
