<#--
  delete_credential for a passkey two-factor sign-in needs (GuardedDeleteCredentialAction): why it
  stays, and the way back to the application (cancel-aia).
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("deleteCredentialTitle", credentialLabel)}
    <#elseif section = "form">
        <p id="kc-delete-refused">${msg("keywardPasskeyNeededForTwoFactor")}</p>
        <form class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <button id="kc-decline" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"
                    type="submit" name="cancel-aia" value="true">${msg("doBack")}</button>
        </form>
    </#if>
</@layout.registrationLayout>
