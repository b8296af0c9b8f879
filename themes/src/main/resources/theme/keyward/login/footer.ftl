<#--
  The login footer: keycloak.v2's template.ftl imports footer.ftl and calls its "content" macro at
  the bottom of every login page; the parent's is empty, left for themes to fill. Keyward puts one
  thing there: "Use another method" on Keycloak's own passkey pages (sign-in and its error page)
  when keyward-second-factor (mfa-policy-flow) runs them and the user has another method to switch
  to (form attribute keywardSecondFactorSwitch). Keyward's own pages (OPAQUE form, email code)
  render that button themselves, under any theme. The button posts keyward_2fa_switch to the
  page's action URL, which is the second-factor step's.
-->
<#macro content>
    <#if (keywardSecondFactorSwitch!false) && ["webauthn-authenticate", "webauthn-error"]?seq_contains(pageId!"")>
        <form id="kc-second-factor-switch-form" action="${url.loginAction}" method="post">
            <button id="kc-second-factor-switch" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"
                    type="submit" name="keyward_2fa_switch" value="1">${msg("keywardSecondFactorSwitch")}</button>
        </form>
    </#if>
</#macro>
