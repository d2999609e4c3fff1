// Passkey registration (django-otp-webauthn's script does the ceremony): once the portal has stored the new key,
// go where its answer says (the recovery codes after a first factor, else the security page).
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const data = (event.detail && event.detail.response) || {};
  window.location.assign(data.redirect_url || window.location.href);
});
