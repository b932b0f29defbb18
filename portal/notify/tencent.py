"""Tencent Cloud SMS (SendSms, version 2021-01-11) through its official Python SDK.

The SDK signs each request (TC3-HMAC-SHA256) with the SecretId and SecretKey; the
endpoint is a setting (PORTAL_SMS_ENDPOINT), so tests point it at a local fake. The
answer is read as ``providers.from_response`` reads the sandbox's: a request error, or
the number's SendStatus whose Code must be "Ok".
"""

from __future__ import annotations

from urllib.parse import urlparse

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from portal.notify.providers import Answer, Outgoing, failure, from_response


class TencentProvider:
    name = "tencent"

    def __init__(
        self,
        secret_id: str,
        secret_key: str,
        sdk_app_id: str,
        region: str,
        endpoint: str,
        timeout: float,
    ) -> None:
        url = urlparse(endpoint if "://" in endpoint else f"https://{endpoint}")
        http = HttpProfile(protocol=url.scheme, endpoint=url.netloc, reqTimeout=int(timeout))
        self.client = sms_client.SmsClient(
            credential.Credential(secret_id, secret_key), region, ClientProfile(httpProfile=http)
        )
        self.sdk_app_id = sdk_app_id

    def send(self, message: Outgoing) -> Answer:
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [message.phone]
        request.SmsSdkAppId = self.sdk_app_id
        request.SignName = message.sign
        request.TemplateId = message.template_id
        request.TemplateParamSet = list(message.params)
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as exc:
            return failure(str(exc.code or ""), str(exc.message or ""))
        statuses = [
            {"Code": s.Code, "Message": s.Message, "SerialNo": s.SerialNo}
            for s in response.SendStatusSet or []
        ]
        return from_response({"Response": {"SendStatusSet": statuses}})
