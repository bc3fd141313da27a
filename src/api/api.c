/* placeholder until the API lands */
typedef int pw_api_placeholder;
