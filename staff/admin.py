from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# Staff manage their own devices at "Innlogging i to trinn" and operators reset
# them with `manage.py reset_2fa`; django-otp's raw device lists (secrets, English
# labels) are not for anyone's day's work.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
