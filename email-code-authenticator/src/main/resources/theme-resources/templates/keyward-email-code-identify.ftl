<#--
  Email code (keyward-email-code), first factor: who to send a code to. Posts
  email_code_op=identify with "username" (a username, or an email address where the realm
  allows email login). Whatever was typed, the next page is the same code page.
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("keywardEmailCodeIdentifyTitle")}
    <#elseif section = "form">
        <div id="kc-form">
          <div id="kc-form-wrapper">
            <form id="kc-email-code-identify-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
                <div class="${properties.kcFormGroupClass!}">
                    <label for="username" class="${properties.kcLabelClass!}"><#if !realm.loginWithEmailAllowed>${msg("username")}<#elseif !realm.registrationEmailAsUsername>${msg("usernameOrEmail")}<#else>${msg("email")}</#if></label>
                    <span class="${properties.kcInputClass!}">
                        <input id="username" name="username" type="text" autocomplete="username" autofocus
                               aria-invalid="<#if message?has_content && message.type = 'error'>true</#if>"/>
                    </span>
                    <div class="${properties.kcFormHelperTextClass!}">${msg("keywardEmailCodeIdentifyInfo")}</div>
                </div>
                <div class="${properties.kcFormGroupClass!}">
                    <div class="${properties.kcFormActionGroupClass!}">
                        <button id="kc-email-code-send" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}"
                                type="submit" name="email_code_op" value="identify">${msg("keywardEmailCodeSend")}</button>
                    </div>
                </div>
            </form>
          </div>
        </div>
    </#if>
</@layout.registrationLayout>
