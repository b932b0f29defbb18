"""Error pages in Chinese: a person always learns what happened and what to do."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError

from portal.api.errors import error as api_error

PAGES = {
    400: ("请求无法处理", "页面可能已过期或信息不完整。请返回上一页，刷新后再试一次。"),
    403: ("没有权限", "您没有权限查看这个页面。如需帮助，请联系平台客服。"),
    404: (
        "没有找到这个页面",
        "链接可能不完整：进度页的链接较长，复制时请确认完整。找不到进度页时，可在“找回进度页”（/find）用企业代码和法人微信号或联系电话找回。",
    ),
    405: ("请求方式不对", "请从页面上的按钮操作，不要直接打开这个地址。"),
    413: (
        "提交的内容太大",
        "提交的内容超过了平台的上限（256 KB），正常填写不会这么大。请返回上一页，检查是否误粘贴了大段文字或文件内容，删掉后再提交。",
    ),
    429: ("操作太频繁", "请稍等几分钟再试。"),
    500: (
        "出错了",
        "平台暂时出了问题，您填写的信息没有丢失。请稍后刷新重试；如一直出现，请联系平台客服。",
    ),
}


def render_error(status: int, detail: str = "") -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        return api_error(status)
    title, text = PAGES.get(status, PAGES[500])
    return render_template(
        "errors/error.html", title=title, text=detail or text, status=status
    ), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_expired(_error: CSRFError) -> ResponseReturnValue:
        app.logger.info("CSRF refused on %s", request.path)
        return render_error(
            400,
            "页面停留太久已过期（为保护您的信息，表单有时效）。请返回上一页刷新后重新提交，已填的内容不会丢失。",
        )

    for status in PAGES:
        app.register_error_handler(status, lambda error, s=status: render_error(s))
