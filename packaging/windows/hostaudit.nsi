; hostaudit's Windows installer, built on Debian with makensis
; (packaging/windows/build-installer.sh). Installs:
;   %ProgramFiles%\hostaudit   hostaudit.exe, the task definition and script,
;                              LICENSE and NOTICE (Apache-2.0, shown first),
;                              share\locale\ja\LC_MESSAGES\hostaudit.mo (the
;                              program's messages in Japanese; found beside
;                              the exe at run time)
;   %ProgramData%\hostaudit    rules\*.yaml, hostaudit.yaml (default config,
;                              kept on upgrade), reports
; %ProgramData%\hostaudit gets an ACL that only SYSTEM and Administrators
; can write (by SID: names are translated), because its files steer an
; audit that runs as SYSTEM. Registers the daily task; the uninstaller
; removes the task and every file it installed.
Unicode true
; A 64-bit installer: hostaudit is 64-bit only, and a 32-bit one would need
; the registry and file-system redirection handled at every step.
Target amd64-unicode
!include "x64.nsh"
!ifndef BUILD
  !error "makensis -DBUILD=<build dir> -DSRC=<source dir> -DVERSION=x.y.z"
!endif

Name "hostaudit ${VERSION}"
OutFile "${BUILD}\hostaudit-${VERSION}-setup.exe"
InstallDir "$PROGRAMFILES64\hostaudit"
RequestExecutionLevel admin
ShowInstDetails show
ShowUninstDetails show
; The licence is shown before anything is installed (a silent /S install
; skips the pages), and installed beside the program.
LicenseData "${SRC}\LICENSE"
LicenseForceSelection checkbox
Page license
Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\hostaudit"
!define ICACLS "$SYSDIR\icacls.exe"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "hostaudit needs 64-bit Windows 10 or later."
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all ; $APPDATA is %ProgramData%
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "hostaudit"
  SetOutPath "$INSTDIR"
  File "${BUILD}\hostaudit.exe"
  File "${SRC}\packaging\windows\hostaudit-task.xml"
  File "${SRC}\packaging\windows\install-task.cmd"
  File "${SRC}\LICENSE"
  File "${SRC}\NOTICE"
  SetOutPath "$INSTDIR\share\locale\ja\LC_MESSAGES"
  File "${BUILD}\share\locale\ja\LC_MESSAGES\hostaudit.mo"
  SetOutPath "$INSTDIR"

  CreateDirectory "$APPDATA\hostaudit"
  ; Only SYSTEM and Administrators write; Users read. Inheritance from
  ; ProgramData (where Users may create files) is cut first.
  nsExec::ExecToLog '"${ICACLS}" "$APPDATA\hostaudit" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
  Pop $0
  StrCmp $0 0 +2
    Abort "icacls failed ($0): refusing to install with an unsafe ACL"

  SetOutPath "$APPDATA\hostaudit\rules"
  File "${SRC}\rules\*.yaml"
  ; hostaudit attest's questions: found beside the rules (the default rules
  ; directory is %ProgramData%\hostaudit\rules).
  SetOutPath "$APPDATA\hostaudit\rules\questions"
  File "${SRC}\rules\questions\*.yaml"
  SetOutPath "$APPDATA\hostaudit"
  IfFileExists "$APPDATA\hostaudit\hostaudit.yaml" config_done
    FileOpen $1 "$APPDATA\hostaudit\hostaudit.yaml" w
    FileWrite $1 "# hostaudit site config (docs/config.md). Only administrators can edit it.$\r$\n"
    FileWrite $1 "schema: hostaudit/config/v1$\r$\n"
    FileWrite $1 "rules:$\r$\n"
    FileWrite $1 "  - '$APPDATA\hostaudit\rules'$\r$\n"
    FileClose $1
  config_done:

  nsExec::ExecToLog '"$INSTDIR\install-task.cmd"'
  Pop $0
  StrCmp $0 0 +2
    DetailPrint "Warning: registering the scheduled task failed ($0); run install-task.cmd as administrator."

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "hostaudit"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "hostaudit"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  nsExec::ExecToLog '"$INSTDIR\install-task.cmd" /delete'
  Pop $0
  Delete "$INSTDIR\hostaudit.exe"
  Delete "$INSTDIR\hostaudit-task.xml"
  Delete "$INSTDIR\install-task.cmd"
  Delete "$INSTDIR\LICENSE"
  Delete "$INSTDIR\NOTICE"
  Delete "$INSTDIR\share\locale\ja\LC_MESSAGES\hostaudit.mo"
  RMDir "$INSTDIR\share\locale\ja\LC_MESSAGES"
  RMDir "$INSTDIR\share\locale\ja"
  RMDir "$INSTDIR\share\locale"
  RMDir "$INSTDIR\share"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  ; The rules and reports it made go; the config too (a clean uninstall).
  Delete "$APPDATA\hostaudit\rules\questions\*.yaml"
  RMDir "$APPDATA\hostaudit\rules\questions"
  Delete "$APPDATA\hostaudit\rules\*.yaml"
  RMDir "$APPDATA\hostaudit\rules"
  Delete "$APPDATA\hostaudit\hostaudit.yaml"
  Delete "$APPDATA\hostaudit\last-report.json"
  RMDir "$APPDATA\hostaudit"
  DeleteRegKey HKLM "${UNINST_KEY}"
SectionEnd
