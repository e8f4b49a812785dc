@echo off
rem Registers (or, with /delete, removes) hostaudit's daily Task Scheduler
rem task from hostaudit-task.xml beside this script. Run as administrator.
rem The task runs as SYSTEM (S-1-5-18); see hostaudit-task.xml.
setlocal
set SCHTASKS=%SystemRoot%\System32\schtasks.exe
if /i "%~1"=="/delete" (
  "%SCHTASKS%" /Delete /TN "\hostaudit\daily" /F
  exit /b %ERRORLEVEL%
)
"%SCHTASKS%" /Create /TN "\hostaudit\daily" /XML "%~dp0hostaudit-task.xml" /F
exit /b %ERRORLEVEL%
