/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-assistant.h: the window that adds an account, step by step, and
 * edits one. */
#pragma once

#include <adwaita.h>

#include "kontor-core.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_ACCOUNT_ASSISTANT (kontor_account_assistant_get_type ())

G_DECLARE_FINAL_TYPE (KontorAccountAssistant,
                      kontor_account_assistant,
                      KONTOR,
                      ACCOUNT_ASSISTANT,
                      AdwWindow)

KontorAccountAssistant *kontor_account_assistant_new (KontorAccountService *service);
KontorAccountAssistant *kontor_account_assistant_new_for_account (KontorAccountService *service,
                                                                  KontorAccount *account);

G_END_DECLS
