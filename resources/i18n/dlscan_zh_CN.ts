<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CameraPanel</name>
    <message>
        <source>Capture (Space)</source>
        <translation>拍摄（空格）</translation>
    </message>
    <message>
        <source>Opening the camera…</source>
        <translation>正在打开摄像头… / Opening the camera…</translation>
    </message>
</context>
<context>
    <name>EngineSetup</name>
    <message>
        <source>Engine not available: {name}</source>
        <translation>识别引擎不可用：{name}</translation>
    </message>
</context>
<context>
    <name>FieldsPanel</name>
    <message>
        <source>{zh} {en}</source>
        <translation>{zh}</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Edited by the clerk</source>
        <translation>已修改</translation>
    </message>
    <message>
        <source>Front page</source>
        <translation>主页</translation>
    </message>
    <message>
        <source>Back page</source>
        <translation>副页</translation>
    </message>
    <message>
        <source>Double-click to copy</source>
        <translation>双击复制</translation>
    </message>
    <message>
        <source>Checks: {errors} errors, {warnings} warnings</source>
        <translation>校验：{errors} 处错误，{warnings} 处提示 / Checks: {errors} errors, {warnings} warnings</translation>
    </message>
    <message>
        <source>All checks passed</source>
        <translation>校验通过 / All checks passed</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>dlscan driving licence reader {version}</source>
        <translation>dlscan 驾驶证识别 {version}</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Recognize</source>
        <translation>识别</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Copy all</source>
        <translation>复制全部</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新客户</translation>
    </message>
    <message>
        <source>Try a sample</source>
        <translation>示例</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>拍摄</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Front</source>
        <translation>主页</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>副页</translation>
    </message>
    <message>
        <source>Both</source>
        <translation>双页</translation>
    </message>
    <message>
        <source>Side:</source>
        <translation>页面：</translation>
    </message>
    <message>
        <source>Image URL (cloud), Enter</source>
        <translation>图片URL（云端识别），回车</translation>
    </message>
    <message>
        <source>Recognize anyway</source>
        <translation>仍然识别</translation>
    </message>
    <message>
        <source>Drop a licence image here, or press Ctrl+O to open, Ctrl+V to paste.</source>
        <translation>把驾驶证图片拖到这里，或按 Ctrl+O 打开、Ctrl+V 粘贴。</translation>
    </message>
    <message>
        <source>Try a sample (synthetic licence)</source>
        <translation>试试示例（合成驾驶证）</translation>
    </message>
    <message>
        <source>Internal error: {name}</source>
        <translation>内部错误 / Internal error: {name}</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败 / Failed</translation>
    </message>
    <message>
        <source>Copied: {field}</source>
        <translation>已复制 / Copied: {field}</translation>
    </message>
    <message>
        <source>Open licence images</source>
        <translation>打开驾驶证图片</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.bmp *.tif *.tiff);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp *.tif *.tiff);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The clipboard holds no image</source>
        <translation>剪贴板里没有图片 / The clipboard holds no image</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>正在打开… / Opening…</translation>
    </message>
    <message>
        <source>Open an image first</source>
        <translation>请先打开一张图片 / Open an image first</translation>
    </message>
    <message>
        <source>Checking the image…</source>
        <translation>正在检查图片… / Checking the image…</translation>
    </message>
    <message>
        <source>Warnings: press Enter to recognize anyway</source>
        <translation>图片有提示：按回车仍然识别 / Warnings: press Enter to recognize anyway</translation>
    </message>
    <message>
        <source>Recognizing…</source>
        <translation>正在识别… / Recognizing…</translation>
    </message>
    <message>
        <source>Recognized</source>
        <translation>识别完成 / Recognized</translation>
    </message>
    <message>
        <source>Recognizing the URL…</source>
        <translation>正在识别URL… / Recognizing the URL…</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消 / Cancelled</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制 / Copied</translation>
    </message>
    <message>
        <source>CSV, append a row (*.csv);;JSON (*.json)</source>
        <translation>CSV，追加一行 (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>没有可导出的内容 / Nothing to export</translation>
    </message>
    <message>
        <source>Export failed: {reason} ({path})</source>
        <translation>导出失败 / Export failed: {reason} ({path})</translation>
    </message>
    <message>
        <source>Exported: {path}</source>
        <translation>已导出 / Exported: {path}</translation>
    </message>
    <message>
        <source>Cannot open the camera</source>
        <translation>无法打开摄像头 / Cannot open the camera</translation>
    </message>
    <message>
        <source>The camera stopped delivering frames (unplugged?)</source>
        <translation>摄像头已断开或没有画面 / The camera stopped delivering frames (unplugged?)</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>设置已保存 / Settings saved</translation>
    </message>
    <message>
        <source>The new language shows after dlscan is restarted.</source>
        <translation>界面语言将在重新启动 dlscan 后生效 / The new language shows after dlscan is restarted.</translation>
    </message>
</context>
<context>
    <name>RecognitionService</name>
    <message>
        <source>Reading the engine settings…</source>
        <translation>正在读取识别引擎设置…</translation>
    </message>
    <message>
        <source>Engine: {name}</source>
        <translation>引擎：{name}</translation>
    </message>
    <message>
        <source>Configuration problem: {zh} / {en}</source>
        <translation>配置有误：{zh} / {en}</translation>
    </message>
    <message>
        <source>Offline engine on this PC (nothing uploaded)</source>
        <translation>离线识别（本机，不上传）</translation>
    </message>
    <message>
        <source>Huawei Cloud OCR</source>
        <translation>华为云OCR</translation>
    </message>
    <message>
        <source>Server: {url}</source>
        <translation>识别服务器：{url}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Auto (cloud with an account, else offline)</source>
        <translation>自动（有账号用云端，否则离线）</translation>
    </message>
    <message>
        <source>Offline on this PC</source>
        <translation>离线识别（本机）</translation>
    </message>
    <message>
        <source>Huawei Cloud OCR</source>
        <translation>华为云OCR</translation>
    </message>
    <message>
        <source>Recognition server (URL)</source>
        <translation>识别服务器（URL）</translation>
    </message>
    <message>
        <source>https://ocr.cn-north-4.myhuaweicloud.com or http://192.168.1.20:8080</source>
        <translation>https://ocr.cn-north-4.myhuaweicloud.com 或 http://192.168.1.20:8080</translation>
    </message>
    <message>
        <source>project id</source>
        <translation>项目ID</translation>
    </message>
    <message>
        <source>IAM user + password</source>
        <translation>IAM 用户名+密码</translation>
    </message>
    <message>
        <source>Access keys (AK/SK)</source>
        <translation>AK/SK 访问密钥</translation>
    </message>
    <message>
        <source>Pasted token</source>
        <translation>Token（粘贴）</translation>
    </message>
    <message>
        <source>None (open server)</source>
        <translation>无需认证（开放的服务器）</translation>
    </message>
    <message>
        <source>IAM user name</source>
        <translation>IAM 用户名</translation>
    </message>
    <message>
        <source>account name</source>
        <translation>账号名</translation>
    </message>
    <message>
        <source>IAM password</source>
        <translation>IAM 密码</translation>
    </message>
    <message>
        <source>Security token</source>
        <translation>安全令牌</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌（Token）</translation>
    </message>
    <message>
        <source>Auto-capture when the card is steady and sharp</source>
        <translation>卡片稳定清晰时自动拍摄</translation>
    </message>
    <message>
        <source>Read the issuing authority</source>
        <translation>识别发证机关</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>识别引擎</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>服务地址</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目ID</translation>
    </message>
    <message>
        <source>Auth</source>
        <translation>认证方式</translation>
    </message>
    <message>
        <source>IAM user</source>
        <translation>IAM 用户</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Language (after a restart)</source>
        <translation>界面语言（重启后生效）</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>(stored; leave empty to keep)</source>
        <translation>（已保存，留空则不变）</translation>
    </message>
    <message>
        <source>{index}: {name}</source>
        <translation>{index}：{name}</translation>
    </message>
    <message>
        <source>Camera {index}</source>
        <translation>摄像头 {index}</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试… / Testing…</translation>
    </message>
    <message>
        <source>Connection works ({engine})</source>
        <translation>连接正常 / Connection works ({engine})</translation>
    </message>
    <message>
        <source>Failed: {name}</source>
        <translation>失败 / Failed: {name}</translation>
    </message>
</context>
</TS>
