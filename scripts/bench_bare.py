"""A bare Flask app with the same answers' shapes, the baseline bench_load.py compares to."""

from flask import Flask, jsonify

app = Flask(__name__)
PAGE = "<!doctype html><html><body>" + "<p>进度</p>" * 200 + "</body></html>"


@app.get("/s/<public_id>/status.json")
def status_json(public_id: str):
    return jsonify({"version": "queued:1700000000.0:0", "state": "queued", "label": "资料已保存",
                    "live": True})  # fmt: skip


@app.get("/s/<public_id>")
def status(public_id: str):
    return PAGE


@app.get("/apply")
def apply():
    return PAGE


@app.post("/wechat/events")
def events():
    return "success"
