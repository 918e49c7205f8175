@echo off
rem The HERB CLINIQUE blog on Windows: `make TARGET NAME=value` in cmd, `.\make TARGET NAME=value`
rem in PowerShell, the same words as on Linux and macOS. tools\launch.py finds a Python 3.11 or
rem newer, sets up .venv and runs the target; `make help` lists them.
rem (goto, not blocks in brackets: cmd would read %ERRORLEVEL% before the command in them ran.)
setlocal
rem "python" when it runs (the Microsoft Store's stand-in does not), else the py launcher of python.org's installer.
python -c "pass" >nul 2>nul || goto try_py
python "%~dp0tools\launch.py" %*
exit /b %ERRORLEVEL%
:try_py
py -3 -c "pass" >nul 2>nul || goto no_python
py -3 "%~dp0tools\launch.py" %*
exit /b %ERRORLEVEL%
:no_python
echo The blog's tools need Python 3.11 or newer, and this computer has none: install it from https://www.python.org/downloads/ or with `winget install Python.Python.3.12`, then open a new window and run the same command again. 1>&2
exit /b 1
