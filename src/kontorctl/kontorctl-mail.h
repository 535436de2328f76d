/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontorctl-mail.h: the mail commands of kontorctl, a client of io.github.kontor.Mail1. */
#pragma once

#include "kontor-dbus-generated.h"
#include "kontorctl.h"

G_BEGIN_DECLS

extern const KontorctlCommand kontorctl_mail_commands[];

gboolean kontorctl_mail_print_help (int argc, char **argv);

/* kontorctl-mail-identities.c */
int kontorctl_mail_identities (KontorDBusMail1 *mail, gboolean json);
int kontorctl_mail_alias (KontorDBusMail1 *mail,
                          const char *command,
                          const char *action,
                          const char *account,
                          const char *alias);
int
kontorctl_mail_signature_print (KontorDBusMail1 *mail, const char *command, const char *address);
int kontorctl_mail_signature_set (KontorDBusMail1 *mail, const char *address, const char *text);

G_END_DECLS
