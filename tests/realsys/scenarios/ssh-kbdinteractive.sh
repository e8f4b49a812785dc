# SPDX-License-Identifier: Apache-2.0
# KbdInteractiveAuthentication yes in a drop-in (Debian's sshd_config
# says no further down, but the drop-in is read first); UsePAM yes.
# suites: bookworm trixie
# oracle: sshd -T: kbdinteractiveauthentication and usepam both yes.
fact=accounts.ssh.kbd_interactive_authentication
setup() { sshd_dropin 50-kbd.conf <<<'KbdInteractiveAuthentication yes'; }
oracle() {
	if [ "$(sshd_t kbdinteractiveauthentication)" = yes ] && [ "$(sshd_t usepam)" = yes ]; then
		echo true
	else
		echo false
	fi
}
