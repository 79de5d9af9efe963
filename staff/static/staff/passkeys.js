// After django-otp-webauthn has registered a passkey, go on to the next step
// (the backup codes at a first enrolment, the device list otherwise).
document.addEventListener("otp_webauthn.register_complete", () => {
  const next = document.querySelector("[data-after-register]");
  window.location.assign(next.dataset.afterRegister);
});
