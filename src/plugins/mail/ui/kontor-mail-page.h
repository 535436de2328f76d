/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-page.h: the Mail plugin's page: folders | message list | reader. */
#pragma once

#include <adwaita.h>

#include "kontor-mail-engine.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_PAGE (kontor_mail_page_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailPage, kontor_mail_page, KONTOR, MAIL_PAGE, AdwBin)

KontorMailPage *kontor_mail_page_new (KontorMailEngine *engine);
void kontor_mail_page_open_message (KontorMailPage *self, const char *mid);
void kontor_mail_page_show_message_id (KontorMailPage *self, const char *message_id);
void kontor_mail_page_add_toast (KontorMailPage *self, AdwToast *toast);

G_END_DECLS
