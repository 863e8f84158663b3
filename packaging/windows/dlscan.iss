; Inno Setup 6 script (UTF-8 with BOM, for the Chinese text): a per-machine installer for the PyInstaller bundle in dist\dlscan.
; packaging\build.py compiles it when ISCC.exe is installed; by hand, from the repository:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\dlscan.iss
; Output: dist\dlscan-<version>-setup.exe. Silent install: dlscan-<version>-setup.exe /VERYSILENT
; (add /TASKS="" for no desktop icon). Silent uninstall keeps user settings unless /PURGE is given:
;   "C:\Program Files\dlscan\unins000.exe" /VERYSILENT [/PURGE]

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "dlscan"
#define AppExe "dlscan.exe"
#define CliExe "dlscan-cli.exe"
#define Root AddBackslash(SourcePath) + "..\.."
#define Bundle Root + "\dist\dlscan"

[Setup]
; The AppId identifies the installation for upgrades and uninstall: never change it.
AppId={{F0FD5B26-0962-4F17-BCA1-7B3210C27987}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=dlscan
AppComments=Driving licence reader / 驾驶证识别
VersionInfoVersion={#AppVersion}
; Per machine, for every clerk account on the counter PC.
PrivilegesRequired=admin
DefaultDirName={autopf}\{#AppName}
DisableDirPage=auto
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile={#Root}\resources\icons\dlscan.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running dlscan is closed (Restart Manager) before its files are replaced or removed.
CloseApplications=yes
RestartApplications=no
ChangesAssociations=yes
; The uninstaller cleans the running user's settings only when asked (see [Code]).
UsedUserAreasWarning=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Chinese is not among Inno Setup's official translations: used when the build machine has it.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole one-folder bundle: dlscan.exe (window), dlscan-cli.exe (console), _internal\.
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "驾驶证识别 / Driving licence reader"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "驾驶证识别 / Driving licence reader"; Tasks: desktopicon

[Registry]
; "Open with dlscan" for the image types it reads (the app opens files given on its command line).
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\DefaultIcon"; ValueType: string; ValueData: """{app}\{#AppExe}"",0"
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".jpg"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".jpeg"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".png"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".bmp"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".tif"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".tiff"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\.jpg\OpenWithList\{#AppExe}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\.jpeg\OpenWithList\{#AppExe}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\.png\OpenWithList\{#AppExe}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\.bmp\OpenWithList\{#AppExe}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\.tif\OpenWithList\{#AppExe}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\.tiff\OpenWithList\{#AppExe}"; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Anything the app or Python left next to the executables (the bundle writes nothing there
; itself); user settings are elsewhere and handled in [Code].
Type: filesandordirs; Name: "{app}"

[Code]
var
  PurgeUserData: Boolean;

function HasParam(const Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Name) = 0 then
      Result := True;
end;

{ Settings (%APPDATA%\dlscan), the log (%LOCALAPPDATA%\dlscan\Logs) and keyring entries
  (service "dlscan") belong to the user and survive an uninstall unless the user asks. Only
  the account running the uninstaller is cleaned: other clerks' profiles are not touched. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  ResultCode: Integer;
begin
  if CurUninstallStep = usUninstall then
  begin
    if UninstallSilent then
      PurgeUserData := HasParam('/PURGE')
    else
      PurgeUserData := MsgBox(
        '也删除本用户的 dlscan 设置、日志和已保存的凭据吗？' + #13#10 +
        'Also delete this user''s dlscan settings, log and stored credentials?' + #13#10#13#10 +
        '选“否”则保留，重新安装后可继续使用。' + #13#10 +
        'Choose No to keep them for a later reinstall.',
        mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
    if PurgeUserData then
      { While dlscan-cli is still there: remove the secrets from Credential Manager. }
      Exec(ExpandConstant('{app}\{#CliExe}'), 'credentials clear --all', '', SW_HIDE,
           ewWaitUntilTerminated, ResultCode);
  end;
  if (CurUninstallStep = usPostUninstall) and PurgeUserData then
  begin
    DelTree(ExpandConstant('{userappdata}\dlscan'), True, True, True);
    DelTree(ExpandConstant('{localappdata}\dlscan'), True, True, True);
  end;
end;
